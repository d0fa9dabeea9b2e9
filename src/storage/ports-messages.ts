/**
 * The messages store port. (Placeholder: the engineer building this store replaces this file's contents.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the store's own work
export interface MessageStore {}
