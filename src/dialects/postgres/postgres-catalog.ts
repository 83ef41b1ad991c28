import { sql, type Kysely } from 'kysely';

/**
 * The catalog queries for PostgreSQL (server and PGlite), one per object kind, whatever the
 * number of objects. Raw row shapes are typed here; postgres-snapshot.ts folds them into the
 * shared model. Versions 12 and later are read; newer catalog columns are used only where the
 * server has them.
 *
 * Every query takes the namespace filter as its only parameter: an empty array means all
 * user namespaces.
 */

/** Owner name and ACL (aclitem text), for the objects that have them. */
export interface RawOwnership {
  owner: string | null;
  acl: string[] | null;
}

export interface RawNamespace extends RawOwnership {
  name: string;
  comment: string | null;
}

export interface RawRelation extends RawOwnership {
  relid: string;
  schema: string;
  name: string;
  /** r table, p partitioned table, v view, m materialized view, f foreign table */
  kind: 'r' | 'p' | 'v' | 'm' | 'f';
  persistence: 'p' | 'u' | 't';
  row_security: boolean;
  force_row_security: boolean;
  reloptions: string[] | null;
  comment: string | null;
  is_partition: boolean;
  partition_bound: string | null;
  partition_key: string | null;
  view_definition: string | null;
  access_method: string | null;
  foreign_server: string | null;
  foreign_options: string[] | null;
}

export interface RawColumn {
  relid: string;
  attnum: number;
  schema: string;
  table_name: string;
  relkind: string;
  name: string;
  type: string;
  type_kind: string;
  domain_base_type: string | null;
  domain_base_kind: string | null;
  not_null: boolean;
  default_expr: string | null;
  generated_expr: string | null;
  generated: string;
  identity: string;
  collation: string | null;
  collation_oid: string;
  comment: string | null;
}

/** A parent of an inheritance child or partition, in inheritance order. */
export interface RawInheritance {
  relid: string;
  parent: string;
  position: number;
}

export interface RawConstraint {
  schema: string;
  owner_name: string;
  owner_kind: 'table' | 'domain';
  name: string;
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  relid: string;
  column_numbers: number[] | null;
  ref_relid: string;
  ref_schema: string | null;
  ref_table: string | null;
  ref_column_numbers: number[] | null;
  on_update: string;
  on_delete: string;
  match_type: string;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  check_expr: string | null;
  definition: string | null;
  nulls_not_distinct: boolean;
  comment: string | null;
}

export interface RawIndex {
  relid: string;
  schema: string;
  table_name: string;
  name: string;
  is_unique: boolean;
  method: string;
  key_count: number;
  /** indkey: a column number per key and included column, 0 for an expression. */
  key_attnums: number[];
  /** pg_get_indexdef of each expression key (null elsewhere); null when the index has no expressions. */
  expression_defs: (string | null)[] | null;
  key_options: number[];
  opclass_oids: string[];
  collation_oids: string[];
  predicate: string | null;
  reloptions: string[] | null;
  valid: boolean;
  nulls_not_distinct: boolean;
  comment: string | null;
}

export interface RawSequence extends RawOwnership {
  schema: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  max: string;
  min: string;
  cache: string;
  cycle: boolean;
  comment: string | null;
  owner_dep: 'a' | 'i' | null;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
}

export interface RawType extends RawOwnership {
  schema: string;
  name: string;
  kind: 'e' | 'd' | 'c' | 'r';
  enum_values: string[];
  base_type: string | null;
  not_null: boolean;
  default_expr: string | null;
  collation: string | null;
  range_subtype: string | null;
  comment: string | null;
}

export interface RawRoutine extends RawOwnership {
  schema: string;
  name: string;
  kind: 'f' | 'p' | 'a' | 'w';
  signature: string;
  arguments: string;
  returns: string | null;
  language: string;
  body: string;
  volatility: 'i' | 's' | 'v';
  security_definer: boolean;
  strict: boolean;
  parallel: 's' | 'r' | 'u';
  settings: string[] | null;
  comment: string | null;
}

export interface RawTrigger {
  schema: string;
  table_name: string;
  name: string;
  type_bits: number;
  enabled: 'O' | 'D' | 'R' | 'A';
  definition: string;
  function_name: string;
  relid: string;
  update_column_numbers: number[] | null;
  is_constraint: boolean;
  deferrable: boolean;
  deferred: boolean;
  comment: string | null;
}

export interface RawExtension {
  name: string;
  schema: string;
  version: string;
}

export interface RawPolicy {
  schema: string;
  table_name: string;
  name: string;
  permissive: boolean;
  command: 'r' | 'a' | 'w' | 'd' | '*';
  roles: string[];
  using_expr: string | null;
  check_expr: string | null;
  comment: string | null;
}

export interface RawRule {
  schema: string;
  table_name: string;
  name: string;
  definition: string;
  comment: string | null;
}

export interface RawEventTrigger {
  name: string;
  event: string;
  tags: string[] | null;
  function_name: string;
  enabled: 'O' | 'D' | 'R' | 'A';
  comment: string | null;
}

/** Non-default operator classes and all collations, by oid, for naming index keys. */
export interface RawNamedOid {
  oid: string;
  name: string;
}

/** Column names of relations outside the captured namespaces that a foreign key references. */
export interface RawAttributeName {
  relid: string;
  attnum: number;
  name: string;
}

export interface PostgresCatalog {
  namespaces: RawNamespace[];
  relations: RawRelation[];
  inheritance: RawInheritance[];
  columns: RawColumn[];
  constraints: RawConstraint[];
  indexes: RawIndex[];
  sequences: RawSequence[];
  types: RawType[];
  routines: RawRoutine[];
  triggers: RawTrigger[];
  extensions: RawExtension[];
  policies: RawPolicy[];
  rules: RawRule[];
  eventTriggers: RawEventTrigger[];
  opclasses: RawNamedOid[];
  collations: RawNamedOid[];
  /** Filled by a follow-up query only when some referenced relation is outside the namespaces read. */
  foreignAttributes: RawAttributeName[];
}

/** Session settings that make rendered expressions independent of the user's session. */
export const CANONICAL_RENDERING_SETTINGS = [
  `SET LOCAL search_path = public`,
  `SET LOCAL DateStyle = 'ISO, MDY'`,
  `SET LOCAL IntervalStyle = 'postgres'`,
  `SET LOCAL extra_float_digits = 1`,
  `SET LOCAL bytea_output = 'hex'`,
];

/** `alias.nspname` is a user namespace the caller asked for ($1: the requested names, or none for all). */
function namespaceFilter(alias: string): string {
  const column = `${alias}.nspname`;
  return `${column} NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND ${column} NOT LIKE 'pg\\_temp\\_%' AND ${column} NOT LIKE 'pg\\_toast\\_temp\\_%'
    AND (cardinality($1::text[]) = 0 OR ${column} = ANY($1::text[]))`;
}

/** Comments come from one join on pg_description, not a function call per row. */
function commentJoin(alias: string, oid: string, catalog: string, subId = '0'): string {
  return `LEFT JOIN pg_description ${alias} ON ${alias}.objoid = ${oid} AND ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objsubid = ${subId}`;
}

/** The object is not a member of an extension (pg_dump leaves those to CREATE EXTENSION). */
function notExtensionMember(catalog: string, oidExpression: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass
    AND dep.objid = ${oidExpression} AND dep.deptype = 'e')`;
}

/** Builds the text of every catalog query for a server version (e.g. 150004). */
export function postgresCatalogQueries(versionNumber: number): Record<Exclude<keyof PostgresCatalog, 'foreignAttributes'>, string> {
  const pg13 = versionNumber >= 130000;
  const pg14 = versionNumber >= 140000;
  const pg15 = versionNumber >= 150000;
  /** `name` for objects in pg_catalog, `schema.name` otherwise, quoted where needed. */
  const qualifiedName = (nameColumn: string, namespaceAlias: string) =>
    `CASE WHEN ${namespaceAlias}.nspname = 'pg_catalog' THEN quote_ident(${nameColumn})
      ELSE quote_ident(${namespaceAlias}.nspname) || '.' || quote_ident(${nameColumn}) END`;
  const qualifiedCollation = (collationAlias: string, namespaceAlias: string) => qualifiedName(`${collationAlias}.collname`, namespaceAlias);
  // Column numbers (conkey, indkey, tgattr) come back as numbers and are named in the fold from
  // the columns query: a subquery per constraint would cost more than the whole capture.
  return {
    namespaces: `
      SELECT n.nspname AS name, dsc.description AS comment,
        pg_get_userbyid(n.nspowner) AS owner, n.nspacl::text[] AS acl
      FROM pg_namespace n
      ${commentJoin('dsc', 'n.oid', 'pg_namespace')}
      WHERE ${namespaceFilter('n')} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,

    relations: `
      SELECT c.oid::text AS relid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence,
        c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
        c.reloptions::text[] AS reloptions, dsc.description AS comment,
        pg_get_userbyid(c.relowner) AS owner, c.relacl::text[] AS acl,
        c.relispartition AS is_partition,
        CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
        CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
        CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS view_definition,
        am.amname AS access_method,
        fs.srvname AS foreign_server, ft.ftoptions::text[] AS foreign_options
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_am am ON am.oid = c.relam
      ${commentJoin('dsc', 'c.oid', 'pg_class')}
      LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
      LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${namespaceFilter('n')}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,

    inheritance: `
      SELECT i.inhrelid::text AS relid, quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) AS parent,
        i.inhseqno::int AS position
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_class pc ON pc.oid = i.inhparent
      JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND ${namespaceFilter('n')}`,

    columns: `
      SELECT a.attrelid::text AS relid, a.attnum::int AS attnum,
        n.nspname AS schema, c.relname AS table_name, c.relkind AS relkind, a.attname AS name,
        format_type(a.atttypid, a.atttypmod) AS type, t.typtype::text AS type_kind,
        CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS domain_base_type,
        bt.typtype::text AS domain_base_kind,
        a.attnotnull AS not_null,
        CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
        CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated_expr,
        a.attgenerated::text AS generated, a.attidentity::text AS identity,
        CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
          THEN ${qualifiedCollation('co', 'con')} END AS collation,
        a.attcollation::text AS collation_oid,
        dsc.description AS comment
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
      LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      ${commentJoin('dsc', 'a.attrelid', 'pg_class', 'a.attnum')}
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
        AND ${namespaceFilter('n')}`,

    constraints: `
      SELECT n.nspname AS schema,
        COALESCE(c.relname, t.typname) AS owner_name,
        CASE WHEN con.contypid <> 0 THEN 'domain' ELSE 'table' END AS owner_kind,
        con.conname AS name, con.contype::text AS type,
        con.conrelid::text AS relid, con.conkey AS column_numbers,
        con.confrelid::text AS ref_relid, fn.nspname AS ref_schema, fc.relname AS ref_table, con.confkey AS ref_column_numbers,
        con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete, con.confmatchtype::text AS match_type,
        con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
        CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
        CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END AS definition,
        ${pg15 ? `COALESCE((SELECT ix.indnullsnotdistinct FROM pg_index ix WHERE ix.indexrelid = con.conindid AND con.contype = 'u'), false)` : 'false'} AS nulls_not_distinct,
        dsc.description AS comment
      FROM pg_constraint con
      ${commentJoin('dsc', 'con.oid', 'pg_constraint')}
      JOIN pg_namespace n ON n.oid = con.connamespace
      LEFT JOIN pg_class c ON c.oid = con.conrelid
      LEFT JOIN pg_type t ON t.oid = con.contypid
      LEFT JOIN pg_class fc ON fc.oid = con.confrelid
      LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
      WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND ${namespaceFilter('n')}
        AND con.conparentid = 0
        AND (con.contype <> 'c' OR con.conislocal)`,

    indexes: `
      SELECT i.indrelid::text AS relid, n.nspname AS schema, c.relname AS table_name, ic.relname AS name,
        i.indisunique AS is_unique, am.amname AS method, i.indnkeyatts::int AS key_count,
        i.indkey::int2[] AS key_attnums,
        CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
          SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END
          FROM generate_series(1, i.indnatts) AS k ORDER BY k)::text[] END AS expression_defs,
        i.indoption::int2[] AS key_options,
        i.indclass::oid[]::text[] AS opclass_oids,
        i.indcollation::oid[]::text[] AS collation_oids,
        pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
        ic.reloptions::text[] AS reloptions,
        i.indisvalid AS valid,
        ${pg15 ? 'i.indnullsnotdistinct' : 'false'} AS nulls_not_distinct,
        dsc.description AS comment
      FROM pg_index i
      ${commentJoin('dsc', 'i.indexrelid', 'pg_class')}
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_am am ON am.oid = ic.relam
      WHERE c.relkind IN ('r', 'p', 'm') AND ${namespaceFilter('n')}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint pc
          WHERE pc.conindid = i.indexrelid AND pc.conrelid = i.indrelid AND pc.contype IN ('p', 'u', 'x'))
        AND NOT EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
        AND ${notExtensionMember('pg_class', 'c.oid')}`,

    sequences: `
      SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS data_type,
        s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmax::text AS max,
        s.seqmin::text AS min, s.seqcache::text AS cache, s.seqcycle AS cycle,
        dsc.description AS comment,
        pg_get_userbyid(c.relowner) AS owner, c.relacl::text[] AS acl,
        d.deptype::text AS owner_dep, tn.nspname AS owner_schema, tc.relname AS owner_table, a.attname AS owner_column
      FROM pg_sequence s
      ${commentJoin('dsc', 's.seqrelid', 'pg_class')}
      JOIN pg_class c ON c.oid = s.seqrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_class tc ON tc.oid = d.refobjid
      LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE ${namespaceFilter('n')} AND ${notExtensionMember('pg_class', 'c.oid')}`,

    types: `
      SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS kind,
        ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS enum_values,
        CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
        t.typnotnull AS not_null,
        CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS default_expr,
        CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation
          THEN ${qualifiedCollation('co', 'con')} END AS collation,
        CASE WHEN t.typtype = 'r' THEN format_type(r.rngsubtype, NULL) END AS range_subtype,
        dsc.description AS comment,
        pg_get_userbyid(t.typowner) AS owner, t.typacl::text[] AS acl
      FROM pg_type t
      ${commentJoin('dsc', 't.oid', 'pg_type')}
      JOIN pg_namespace n ON n.oid = t.typnamespace
      LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
      LEFT JOIN pg_range r ON r.rngtypid = t.oid
      LEFT JOIN pg_class tc ON tc.oid = t.typrelid
      LEFT JOIN pg_collation co ON co.oid = t.typcollation
      LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
      WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR tc.relkind = 'c')
        AND ${namespaceFilter('n')} AND ${notExtensionMember('pg_type', 't.oid')}`,

    routines: `
      SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind,
        quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')' AS signature,
        pg_get_function_arguments(p.oid) AS arguments,
        CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
        l.lanname AS language,
        CASE WHEN p.prokind = 'a' THEN (
            SELECT concat_ws(', ', 'SFUNC = ' || ag.aggtransfn::regproc::text, 'STYPE = ' || format_type(ag.aggtranstype, NULL),
              CASE WHEN ag.aggfinalfn <> 0 THEN 'FINALFUNC = ' || ag.aggfinalfn::regproc::text END,
              CASE WHEN ag.agginitval IS NOT NULL THEN 'INITCOND = ' || quote_literal(ag.agginitval) END,
              CASE WHEN ag.aggsortop <> 0 THEN 'SORTOP = ' || ag.aggsortop::regoperator::text END)
            FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid)
          ${pg14 ? `WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid)` : ''}
          ELSE p.prosrc END AS body,
        p.provolatile::text AS volatility, p.prosecdef AS security_definer, p.proisstrict AS strict,
        p.proparallel::text AS parallel, p.proconfig::text[] AS settings,
        dsc.description AS comment,
        pg_get_userbyid(p.proowner) AS owner, p.proacl::text[] AS acl
      FROM pg_proc p
      ${commentJoin('dsc', 'p.oid', 'pg_proc')}
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      WHERE ${namespaceFilter('n')} AND ${notExtensionMember('pg_proc', 'p.oid')}
        -- constructors PostgreSQL creates itself for range and multirange types
        AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass
          AND dep.objid = p.oid AND dep.deptype = 'i')`,

    triggers: `
      SELECT n.nspname AS schema, c.relname AS table_name, tg.tgname AS name, tg.tgtype::int AS type_bits,
        tg.tgenabled::text AS enabled, pg_get_triggerdef(tg.oid) AS definition,
        quote_ident(fn.nspname) || '.' || quote_ident(p.proname) AS function_name,
        tg.tgrelid::text AS relid, tg.tgattr::int2[] AS update_column_numbers,
        tg.tgconstraint <> 0 AS is_constraint, tg.tgdeferrable AS deferrable, tg.tginitdeferred AS deferred,
        dsc.description AS comment
      FROM pg_trigger tg
      ${commentJoin('dsc', 'tg.oid', 'pg_trigger')}
      JOIN pg_class c ON c.oid = tg.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_proc p ON p.oid = tg.tgfoid
      JOIN pg_namespace fn ON fn.oid = p.pronamespace
      WHERE NOT tg.tgisinternal AND ${namespaceFilter('n')} ${pg13 ? 'AND tg.tgparentid = 0' : ''}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,

    extensions: `
      SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE cardinality($1::text[]) >= 0`,

    policies: `
      SELECT n.nspname AS schema, c.relname AS table_name, pol.polname AS name, pol.polpermissive AS permissive,
        pol.polcmd::text AS command,
        ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(pol.polroles) AS r ORDER BY 1)::text[] AS roles,
        pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
        pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr,
        dsc.description AS comment
      FROM pg_policy pol
      ${commentJoin('dsc', 'pol.oid', 'pg_policy')}
      JOIN pg_class c ON c.oid = pol.polrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${namespaceFilter('n')}`,

    rules: `
      SELECT n.nspname AS schema, c.relname AS table_name, r.rulename AS name, pg_get_ruledef(r.oid) AS definition,
        dsc.description AS comment
      FROM pg_rewrite r
      ${commentJoin('dsc', 'r.oid', 'pg_rewrite')}
      JOIN pg_class c ON c.oid = r.ev_class
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE r.rulename <> '_RETURN' AND ${namespaceFilter('n')}`,

    eventTriggers: `
      SELECT e.evtname AS name, e.evtevent AS event, e.evttags::text[] AS tags,
        e.evtfoid::regproc::text AS function_name, e.evtenabled::text AS enabled,
        dsc.description AS comment
      FROM pg_event_trigger e
      ${commentJoin('dsc', 'e.oid', 'pg_event_trigger')}
      WHERE cardinality($1::text[]) >= 0 AND ${notExtensionMember('pg_event_trigger', 'e.oid')}`,

    opclasses: `
      SELECT o.oid::text AS oid, ${qualifiedName('o.opcname', 'on_')} AS name
      FROM pg_opclass o JOIN pg_namespace on_ ON on_.oid = o.opcnamespace
      WHERE NOT o.opcdefault`,

    collations: `
      SELECT co.oid::text AS oid, ${qualifiedName('co.collname', 'con')} AS name
      FROM pg_collation co JOIN pg_namespace con ON con.oid = co.collnamespace`,
  };
}

/**
 * Runs every catalog query inside the caller's transaction. The number of queries is fixed
 * (one per object kind), whatever the size of the schema.
 */
export async function readPostgresCatalog(
  db: Kysely<any>,
  versionNumber: number,
  schemas: readonly string[],
): Promise<PostgresCatalog> {
  const queries = postgresCatalogQueries(versionNumber);
  // The namespace list is the one parameter: bound at each place the text says $1, never spliced.
  const run = async <Row>(text: string): Promise<Row[]> => {
    const pieces = text
      .split('$1::text[]')
      .flatMap((part, index) => (index === 0 ? [sql.raw(part)] : [sql`${[...schemas]}::text[]`, sql.raw(part)]));
    const result = await sql<Row>`${sql.join(pieces, sql.raw(''))}`.execute(db);
    return result.rows;
  };
  const catalog: PostgresCatalog = {
    namespaces: await run<RawNamespace>(queries.namespaces),
    relations: await run<RawRelation>(queries.relations),
    inheritance: await run<RawInheritance>(queries.inheritance),
    columns: await run<RawColumn>(queries.columns),
    constraints: await run<RawConstraint>(queries.constraints),
    indexes: await run<RawIndex>(queries.indexes),
    sequences: await run<RawSequence>(queries.sequences),
    types: await run<RawType>(queries.types),
    routines: await run<RawRoutine>(queries.routines),
    triggers: await run<RawTrigger>(queries.triggers),
    extensions: await run<RawExtension>(queries.extensions),
    policies: await run<RawPolicy>(queries.policies),
    rules: await run<RawRule>(queries.rules),
    eventTriggers: await run<RawEventTrigger>(queries.eventTriggers),
    opclasses: await run<RawNamedOid>(queries.opclasses),
    collations: await run<RawNamedOid>(queries.collations),
    foreignAttributes: [],
  };
  // A foreign key into a schema that was not read (--schema) still names its columns.
  const known = new Set(catalog.columns.map((c) => c.relid));
  const missing = [...new Set(catalog.constraints.filter((c) => c.type === 'f' && !known.has(c.ref_relid)).map((c) => c.ref_relid))];
  if (missing.length > 0) {
    const result = await sql<RawAttributeName>`
      SELECT attrelid::text AS relid, attnum::int AS attnum, attname AS name
      FROM pg_attribute WHERE attrelid = ANY(${missing}::oid[]) AND attnum > 0`.execute(db);
    catalog.foreignAttributes = result.rows;
  }
  return catalog;
}
