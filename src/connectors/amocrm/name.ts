// The connector's name: its settings group, its owner of queues (amocrm.*) and how parts look it up.
export const AMO_CONNECTOR_NAME = 'amocrm';
