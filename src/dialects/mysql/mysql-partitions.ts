import type { Partition, Partitioning } from '../../snapshot/model.js';
import type { RawPartition } from './mysql-catalog.js';
import { stripDatabaseQualifier } from './mysql-qualifiers.js';

const STRATEGIES: Record<string, Partitioning['strategy']> = {
  RANGE: 'range',
  LIST: 'list',
  HASH: 'hash',
  KEY: 'key',
  'RANGE COLUMNS': 'range columns',
  'LIST COLUMNS': 'list columns',
  'LINEAR HASH': 'linear hash',
  'LINEAR KEY': 'linear key',
};

/**
 * A partitioned table's information_schema.PARTITIONS rows (one per partition, or one per
 * subpartition) as the model's partitioning. Each partition's bound is the DDL that follows
 * its name (`VALUES LESS THAN (2023)`, `VALUES IN ('FR','DE')`, `DEFAULT`), with its
 * subpartitions listed after it as CREATE TABLE writes them.
 *
 * Returns null for MariaDB's PARTITION BY SYSTEM_TIME, which the model's strategies cannot
 * express (see the report of the MySQL capture work).
 */
export function foldPartitions(rows: readonly RawPartition[], database: string): Partitioning | null {
  const first = rows[0];
  if (first === undefined) return null;
  const strategy = STRATEGIES[first.method.toUpperCase()];
  if (strategy === undefined) return null;
  const byPartition = new Map<string, RawPartition[]>();
  for (const row of [...rows].sort(byPosition)) {
    const group = byPartition.get(row.name);
    if (group === undefined) byPartition.set(row.name, [row]);
    else group.push(row);
  }
  const partitions: Partition[] = [...byPartition.values()].map((group) => {
    const head = group[0]!;
    const subpartitions = group.flatMap((row) => (row.subpartition_name === null ? [] : [`SUBPARTITION ${row.subpartition_name}`]));
    const bound = [partitionBound(strategy, head.description), subpartitions.length === 0 ? '' : `(${subpartitions.join(', ')})`]
      .filter((part) => part !== '')
      .join(' ');
    return { name: head.name, bound, comment: head.comment === '' ? null : head.comment };
  });
  return {
    strategy,
    key: stripDatabaseQualifier(first.expression ?? '', database),
    partitions,
    subpartitioning:
      first.submethod === null ? null : `${first.submethod} (${stripDatabaseQualifier(first.subexpression ?? '', database)})`,
  };
}

function byPosition(a: RawPartition, b: RawPartition): number {
  return Number(a.position) - Number(b.position) || Number(a.subposition ?? 0) - Number(b.subposition ?? 0);
}

function partitionBound(strategy: Partitioning['strategy'], description: string | null): string {
  switch (strategy) {
    case 'range':
      return description === 'MAXVALUE' ? 'VALUES LESS THAN MAXVALUE' : `VALUES LESS THAN (${description ?? ''})`;
    case 'range columns':
      return `VALUES LESS THAN (${description ?? ''})`;
    case 'list':
    case 'list columns':
      // MariaDB reports a LIST DEFAULT partition's description as MAXVALUE (LIST has no MAXVALUE).
      return description === 'DEFAULT' || description === 'MAXVALUE' ? 'DEFAULT' : `VALUES IN (${description ?? ''})`;
    default:
      return '';
  }
}
