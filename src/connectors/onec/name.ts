// The connector's name: its settings group (ONEC_*) and how parts look it up.
export const ONEC_CONNECTOR_NAME = 'onec';
