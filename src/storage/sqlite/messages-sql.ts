/** Statements of the messages store; see messages-schema.ts for what the columns mean. */

export interface QueueRow {
  id: number;
  name: string;
  fifo: number;
  retention_ms: number;
  dead_letter_queue: string | null;
  max_receive_count: number | null;
  attributes: string;
  tags: string;
  created_at: number;
  updated_at: number;
  purged_at: number | null;
}

export interface MessageRow {
  seq: number;
  id: string;
  body: string;
  attributes: string | null;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  group_id: string | null;
  dedup_id: string | null;
  dead_letter_source: string | null;
}

export interface HandleRow {
  receive_count: number;
  visible_at: number;
  group_id: string | null;
}

const MESSAGE_COLUMNS = 'seq, id, body, attributes, sent_at, visible_at, receive_count, first_received_at, group_id, dedup_id, dead_letter_source';

export const SQL = {
  queueByName: 'SELECT * FROM sqs_queues WHERE name = ?',
  insertQueue: `INSERT INTO sqs_queues (name, fifo, retention_ms, dead_letter_queue, max_receive_count, attributes, tags, created_at, updated_at)
                VALUES (@name, @fifo, @retention_ms, @dead_letter_queue, @max_receive_count, @attributes, @tags, @now, @now)`,
  updateQueue: `UPDATE sqs_queues SET retention_ms = @retention_ms, dead_letter_queue = @dead_letter_queue,
                max_receive_count = @max_receive_count, attributes = @attributes, tags = @tags, updated_at = @now WHERE id = @id`,
  listQueues: `SELECT * FROM sqs_queues WHERE name >= @from AND name > @after AND substr(name, 1, length(@prefix)) = @prefix
               ORDER BY name LIMIT @limit`,
  deleteQueue: 'DELETE FROM sqs_queues WHERE id = ?',
  deleteQueueMessages: 'DELETE FROM sqs_messages WHERE queue_id = ?',
  deleteQueueGroups: 'DELETE FROM sqs_groups WHERE queue_id = ?',
  deleteQueueDedup: 'DELETE FROM sqs_dedup WHERE queue_id = ?',
  markPurged: 'UPDATE sqs_queues SET purged_at = ? WHERE id = ?',

  insertMessage: `INSERT INTO sqs_messages (queue_id, id, body, attributes, sent_at, visible_at, group_id, dedup_id)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  dedupLookup: 'SELECT message_id, seq, expires_at FROM sqs_dedup WHERE queue_id = ? AND key = ?',
  dedupUpsert: `INSERT INTO sqs_dedup (queue_id, key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (queue_id, key) DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, expires_at = excluded.expires_at`,
  dedupPrune: 'DELETE FROM sqs_dedup WHERE queue_id = ? AND expires_at <= ?',

  visibleMessages: `SELECT ${MESSAGE_COLUMNS} FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?`,
  groupMessages: `SELECT ${MESSAGE_COLUMNS} FROM sqs_messages WHERE queue_id = ? AND group_id = ? ORDER BY seq LIMIT ?`,
  claim: 'UPDATE sqs_messages SET visible_at = ?, receive_count = ?, first_received_at = ? WHERE seq = ?',
  moveToQueue: 'UPDATE sqs_messages SET queue_id = ?, visible_at = ?, dead_letter_source = ? WHERE seq = ?',
  deleteMessage: 'DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ?',
  handleRow: 'SELECT receive_count, visible_at, group_id FROM sqs_messages WHERE seq = ? AND queue_id = ?',
  setVisibleAt: 'UPDATE sqs_messages SET visible_at = ? WHERE seq = ?',

  readyGroups: 'SELECT group_id FROM sqs_groups WHERE queue_id = ? AND ready_at <= ? ORDER BY ready_at LIMIT ?',
  groupHead: 'SELECT visible_at FROM sqs_messages WHERE queue_id = ? AND group_id = ? ORDER BY seq LIMIT 1',
  groupBusyUntil: 'SELECT MAX(visible_at) AS until FROM sqs_messages WHERE queue_id = ? AND group_id = ? AND receive_count > 0',
  addGroup: 'INSERT INTO sqs_groups (queue_id, group_id, ready_at) VALUES (?, ?, ?) ON CONFLICT (queue_id, group_id) DO NOTHING',
  setGroupReady: `INSERT INTO sqs_groups (queue_id, group_id, ready_at) VALUES (?, ?, ?)
                  ON CONFLICT (queue_id, group_id) DO UPDATE SET ready_at = excluded.ready_at`,
  deleteGroup: 'DELETE FROM sqs_groups WHERE queue_id = ? AND group_id = ?',

  counts: `SELECT SUM(visible_at <= @now) AS visible,
                  SUM(visible_at > @now AND receive_count > 0) AS in_flight,
                  SUM(visible_at > @now AND receive_count = 0) AS delayed
           FROM sqs_messages WHERE queue_id = @queue AND sent_at > @cutoff`,
  nextVisible: 'SELECT MIN(visible_at) AS at FROM sqs_messages WHERE queue_id = ? AND visible_at > ?',
} as const;
