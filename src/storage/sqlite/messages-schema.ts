import type { Migration } from './migrations.js';

/**
 * The messages store's own schema (module "messages" in schema_modules).
 *
 * A message's visible_at is when it can next be received: its send time plus delay, then its visibility expiry
 * after each receive. One (queue_id, visible_at) index thus serves standard receives, counts and the next wake-up
 * of a long poll. seq is AUTOINCREMENT so it is never reused: receipt handles name a message by it, and a stale
 * handle must never reach a later message; it doubles as the FIFO sequence number.
 *
 * FIFO queues keep one sqs_groups row per non-empty message group. ready_at is when the group can next deliver:
 * the later of its head message's visible_at and the visibility expiry of its messages in flight. A FIFO receive
 * picks groups by (queue_id, ready_at) instead of scanning the messages of groups that are locked.
 */
export const MESSAGES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'queues, messages, FIFO groups and deduplication',
    up: `
      CREATE TABLE sqs_queues (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        fifo INTEGER NOT NULL,
        retention_ms INTEGER NOT NULL,
        dead_letter_queue TEXT,
        max_receive_count INTEGER,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        purged_at INTEGER
      );

      CREATE TABLE sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        queue_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        attributes TEXT,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_received_at INTEGER,
        group_id TEXT,
        dedup_id TEXT,
        dead_letter_source TEXT
      );
      CREATE INDEX sqs_messages_by_visibility ON sqs_messages (queue_id, visible_at);
      CREATE INDEX sqs_messages_by_group ON sqs_messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;
      CREATE INDEX sqs_messages_received_by_group ON sqs_messages (queue_id, group_id, visible_at)
        WHERE group_id IS NOT NULL AND receive_count > 0;

      CREATE TABLE sqs_groups (
        queue_id INTEGER NOT NULL,
        group_id TEXT NOT NULL,
        ready_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, group_id)
      ) WITHOUT ROWID;
      CREATE INDEX sqs_groups_by_ready ON sqs_groups (queue_id, ready_at);

      CREATE TABLE sqs_dedup (
        queue_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX sqs_dedup_by_expiry ON sqs_dedup (queue_id, expires_at);
    `,
  },
];
