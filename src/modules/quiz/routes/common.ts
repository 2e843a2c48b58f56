// Shared route pieces: the seed's response sets and the tag names.
import { Type } from '@sinclair/typebox';
import { ErrorText, Success } from '../contract.js';

export const TAG = 'quiz';
export const RESULTS_TAG = 'quiz: results';

export const E400 = ErrorText('Bad Request');
export const E401 = ErrorText('Unauthorized');
export const E404 = ErrorText('Not Found');
export const E409 = ErrorText('Conflict');
export const E500 = ErrorText('Internal Server Error');
export const E502 = ErrorText('amoCRM недоступен');
export const E503 = ErrorText('Интеграция не настроена');

/** The seed's `responses/200`: a JSON string "Success". */
export const OK = Success;

export const Html = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });
