// A note on a lead at most once. A job that runs again after amoCRM carried out the note but its answer was lost (a
// timeout, a dropped connection) or after the hub crashed before writing the timeline line cannot know whether the
// note is there: it reads the lead's latest notes and adds the note only when none has the same text. A first run
// adds without reading (one amoCRM call, as before); the texts the hub writes name their notification or document,
// so an identical text is the same note.
import type { AmoApi } from '../../connectors/amocrm/index.js';

/** How many of the lead's latest common notes a re-run compares: a lead gets a handful a day. */
const RECENT_NOTES = 50;

export async function addNoteOnce(api: AmoApi, leadId: number, text: string, mayExist: boolean): Promise<'added' | 'present'> {
  if (mayExist) {
    const recent = await api.notes.recent('leads', leadId, { noteType: 'common', limit: RECENT_NOTES });
    if (recent.some((n) => n.params.text === text)) return 'present';
  }
  await api.notes.add('leads', [{ entity_id: leadId, note_type: 'common', params: { text } }]);
  return 'added';
}
