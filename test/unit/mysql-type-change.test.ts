import { describe, expect, it } from 'vitest';
import { narrowingReason, readColumnType } from '../../src/dialects/mysql/mysql-type-change.js';

describe('MySQL/MariaDB column types as information_schema renders them', () => {
  it('read into a base, arguments (enum values unquoted) and signedness', () => {
    expect(readColumnType('int(10) unsigned')).toEqual({ base: 'int', args: ['10'], unsigned: true });
    expect(readColumnType('decimal(4,2)')).toEqual({ base: 'decimal', args: ['4', '2'], unsigned: false });
    expect(readColumnType("enum('G','it''s','a,b')")).toEqual({ base: 'enum', args: ['G', "it's", 'a,b'], unsigned: false });
    expect(readColumnType('longtext')).toEqual({ base: 'longtext', args: [], unsigned: false });
  });
});

describe('a type change loses values', () => {
  it.each([
    ['varchar(50)', 'varchar(20)'],
    ['text', 'varchar(255)'],
    ['int(11)', 'smallint(6)'],
    ['int(11)', 'int(10) unsigned'],
    ['int(10) unsigned', 'int(11)'],
    ['decimal(10,2)', 'decimal(10,1)'],
    ['decimal(10,2)', 'decimal(9,2)'],
    ["enum('a','b','c')", "enum('a','c')"],
    ["set('x','y')", "set('x')"],
    ['datetime(6)', 'datetime(3)'],
    ['datetime', 'date'],
    ['datetime', 'timestamp'],
    ['double', 'float'],
    ['bigint(20)', 'varchar(19)'],
    ['varchar(10)', 'int(11)'],
    ['blob', 'tinyblob'],
  ])('%s → %s', (from, to) => {
    expect(narrowingReason(from, to)).not.toBeNull();
  });
  it('removed enum values are named', () => {
    expect(narrowingReason("enum('a','b','c')", "enum('a')")).toBe("removes enum values 'b', 'c'");
  });
});

describe('a type change keeps every value', () => {
  it.each([
    ['varchar(20)', 'varchar(50)'],
    ['varchar(255)', 'text'],
    ['char(10)', 'varchar(10)'],
    ['smallint(6)', 'int(11)'],
    ['int(10) unsigned', 'bigint(20)'],
    ['tinyint(1)', 'int(11)'],
    ['decimal(4,2)', 'decimal(6,3)'],
    ['int(11)', 'decimal(11,0)'],
    ["enum('a','b')", "enum('a','b','c')"],
    ["enum('abc','d')", 'varchar(3)'],
    ['bigint(20)', 'varchar(20)'],
    ['date', 'datetime'],
    ['datetime(3)', 'datetime(6)'],
    ['float', 'double'],
    ['tinyblob', 'blob'],
  ])('%s → %s', (from, to) => {
    expect(narrowingReason(from, to)).toBeNull();
  });
});
