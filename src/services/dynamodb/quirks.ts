import type { OperationQuirks, ValidationStyle } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { atMost, attributesToGet, batchGetRequestItems, batchWriteRequestItems, indexKeySchemas, keySchema, newTableName, requiredTableName, stillRequired, tableName, transactTableNames } from './checks.js';
import type { Operations as StreamsOperations } from './streams-api.js';

/**
 * How DynamoDB's request validator reports what the model constrains: members in the order DynamoDB checks them
 * (not the model's), enum sets in the order its messages list them, and the checks of checks.ts in their places.
 * The orders come from the messages DynamoDB sends (Flint's tests under test/services/dynamodb, and dynalite's
 * tests, which were recorded against DynamoDB: test/query.js lists Query's order and these enum sets).
 */

export const VALIDATION_STYLE: ValidationStyle = {
  enumOrder: {
    Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
    ScalarAttributeType: ['B', 'N', 'S'],
    ConditionalOperator: ['OR', 'AND'],
    ComparisonOperator: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
    ProjectionType: ['ALL', 'INCLUDE', 'KEYS_ONLY'],
    // dynalite's test/putItem.js and test/updateItem.js (recorded against DynamoDB) list ReturnValues so.
    ReturnValue: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
  },
};

const itemTableName = tableName(1);

function writeItem(item: 'Item' | 'Key'): OperationQuirks {
  return {
    validation: {
      memberOrder: ['ReturnConsumedCapacity', 'TableName', item, 'ConditionalOperator', 'ReturnValues', 'ReturnItemCollectionMetrics', 'ReturnValuesOnConditionCheckFailure'],
      checks: { TableName: itemTableName },
    },
  };
}

const tableOperation: OperationQuirks = { validation: { checks: { TableName: requiredTableName } } };

export const DYNAMODB_QUIRKS: { [K in keyof Operations]?: OperationQuirks } = {
  PutItem: writeItem('Item'),
  DeleteItem: writeItem('Key'),
  UpdateItem: writeItem('Key'),
  GetItem: {
    validation: {
      memberOrder: ['ReturnConsumedCapacity', 'AttributesToGet', 'TableName', 'Key'],
      checks: { TableName: itemTableName, AttributesToGet: attributesToGet },
    },
  },
  Query: {
    validation: {
      memberOrder: ['Select', 'IndexName', 'ReturnConsumedCapacity', 'QueryFilter', 'TableName', 'ConditionalOperator', 'AttributesToGet', 'Limit', 'KeyConditions'],
      // DynamoDB leaves the value out and capitalises the member for Query's Limit.
      paths: { Limit: 'Limit' },
      hiddenValues: ['Limit'],
      checks: { TableName: itemTableName, AttributesToGet: attributesToGet },
    },
  },
  Scan: {
    validation: {
      memberOrder: ['Select', 'IndexName', 'TotalSegments', 'ReturnConsumedCapacity', 'ScanFilter', 'TableName', 'ConditionalOperator', 'Segment', 'Limit', 'AttributesToGet'],
      checks: { TableName: itemTableName, AttributesToGet: attributesToGet },
    },
  },
  BatchGetItem: { validation: { memberOrder: ['ReturnConsumedCapacity', 'RequestItems'], checks: { RequestItems: batchGetRequestItems } } },
  BatchWriteItem: { validation: { memberOrder: ['ReturnConsumedCapacity', 'ReturnItemCollectionMetrics', 'RequestItems'], checks: { RequestItems: batchWriteRequestItems } } },
  TransactWriteItems: {
    validation: { memberOrder: ['TransactItems', 'ClientRequestToken', 'ReturnConsumedCapacity', 'ReturnItemCollectionMetrics'], checks: { TransactItems: transactTableNames } },
  },
  TransactGetItems: { validation: { checks: { TransactItems: transactTableNames } } },
  CreateTable: {
    validation: {
      memberOrder: ['AttributeDefinitions', 'TableName', 'BillingMode', 'ProvisionedThroughput', 'KeySchema', 'LocalSecondaryIndexes', 'GlobalSecondaryIndexes', 'StreamSpecification', 'TableClass'],
      checks: {
        AttributeDefinitions: stillRequired('attributeDefinitions'),
        TableName: newTableName,
        KeySchema: keySchema,
        LocalSecondaryIndexes: indexKeySchemas('localSecondaryIndexes'),
      },
    },
  },
  UpdateTable: {
    validation: {
      memberOrder: ['TableName', 'BillingMode', 'ProvisionedThroughput', 'GlobalSecondaryIndexUpdates', 'StreamSpecification', 'TableClass'],
      checks: { TableName: requiredTableName },
    },
  },
  DescribeTable: tableOperation,
  DeleteTable: tableOperation,
  DescribeTimeToLive: tableOperation,
  UpdateTimeToLive: { validation: { checks: { TableName: tableName(3) } } },
};

export const STREAMS_QUIRKS: { [K in keyof StreamsOperations]?: OperationQuirks } = {
  // The API reference bounds Limit (100 streams or shards, 1000 records); the model does not.
  ListStreams: { validation: { memberOrder: ['Limit', 'TableName'], checks: { Limit: atMost('limit', 100) } } },
  DescribeStream: { validation: { checks: { Limit: atMost('limit', 100) } } },
  GetRecords: { validation: { checks: { Limit: atMost('limit', 1000) } } },
};
