import { describe, expect, it } from 'vitest';
import { splitStatements, SqlSplitError, wholeStatement } from '../../src/migrations/split-statements.js';

/** The statements as [line, text] pairs: what the tests below assert. */
const split = (sql: string, dialect: 'postgres' | 'mysql' | 'sqlite') =>
  splitStatements(sql, dialect).statements.map((s) => [s.line, s.text] as const);

describe('splitting on every engine', () => {
  it.each(['postgres', 'mysql', 'sqlite'] as const)('cuts at semicolons and keeps each statement line and text as written (%s)', (dialect) => {
    const sql = 'CREATE TABLE users (id int);\n\nCREATE TABLE orders (\n  id int,\n  user_id int\n);\n';
    expect(split(sql, dialect)).toEqual([
      [1, 'CREATE TABLE users (id int)'],
      [3, 'CREATE TABLE orders (\n  id int,\n  user_id int\n)'],
    ]);
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('keeps a semicolon inside a string literal (%s)', (dialect) => {
    expect(split("INSERT INTO notes VALUES ('a; b', 'it''s; fine');\nSELECT 1;", dialect)).toEqual([
      [1, "INSERT INTO notes VALUES ('a; b', 'it''s; fine')"],
      [2, 'SELECT 1'],
    ]);
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('skips comments before a statement, quotes and semicolons in them included (%s)', (dialect) => {
    const sql = "-- don't split here; please\n/* it's a \"block\"; comment */\nSELECT 1;\n-- trailing comment's end";
    expect(split(sql, dialect)).toEqual([[3, 'SELECT 1']]);
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('keeps comments inside a statement, and drops empty statements (%s)', (dialect) => {
    expect(split(';;\nSELECT 1 -- one; really\n  + 2;\n;', dialect)).toEqual([[2, 'SELECT 1 -- one; really\n  + 2']]);
  });

  it('keeps a last statement without a terminator', () => {
    expect(split('SELECT 1;\nSELECT 2', 'sqlite')).toEqual([
      [1, 'SELECT 1'],
      [2, 'SELECT 2'],
    ]);
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('reads "…" as one token: a quoted identifier or (MySQL) string (%s)', (dialect) => {
    expect(split('CREATE TABLE "odd;name" (id int);', dialect)).toEqual([[1, 'CREATE TABLE "odd;name" (id int)']]);
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('says where an unterminated string starts (%s)', (dialect) => {
    const error = (() => {
      try {
        splitStatements("SELECT 1;\nSELECT 'oops;\nSELECT 2;", dialect);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SqlSplitError);
    expect((error as SqlSplitError).line).toBe(2);
    expect((error as SqlSplitError).message).toBe('unterminated string literal');
  });

  it('numbers lines from the first line of a section', () => {
    expect(splitStatements('\nSELECT 1;', 'postgres', { firstLine: 10 }).statements).toEqual([{ line: 11, text: 'SELECT 1' }]);
  });
});

describe('PostgreSQL', () => {
  it('keeps a dollar-quoted function body whole, with $x$ inside $$', () => {
    const sql = [
      'CREATE FUNCTION touch() RETURNS trigger AS $$',
      'BEGIN',
      "  NEW.note := $x$ a; b $x$ || 'c;';",
      '  RETURN NEW;',
      'END;',
      '$$ LANGUAGE plpgsql;',
      'SELECT 2;',
    ].join('\n');
    expect(split(sql, 'postgres')).toEqual([
      [1, sql.slice(0, sql.indexOf('$$ LANGUAGE plpgsql') + '$$ LANGUAGE plpgsql'.length)],
      [7, 'SELECT 2'],
    ]);
  });

  it('reads $tag$ quotes, and $1 as a parameter rather than a quote', () => {
    expect(split("DO $body$ BEGIN RAISE NOTICE 'a;'; END $body$;\nPREPARE p AS SELECT $1;\nSELECT 3;", 'postgres')).toEqual([
      [1, "DO $body$ BEGIN RAISE NOTICE 'a;'; END $body$"],
      [2, 'PREPARE p AS SELECT $1'],
      [3, 'SELECT 3'],
    ]);
  });

  it('reads a dollar inside an identifier as part of it (a$b$ is no quote)', () => {
    expect(split('SELECT a$b$ FROM t;\nSELECT 2;', 'postgres')).toEqual([
      [1, 'SELECT a$b$ FROM t'],
      [2, 'SELECT 2'],
    ]);
  });

  it("reads E'…' strings with backslash escapes, and '…' without", () => {
    expect(split("SELECT E'it\\'s; here';\nSELECT 'C:\\';\nSELECT 3;", 'postgres')).toEqual([
      [1, "SELECT E'it\\'s; here'"],
      [2, "SELECT 'C:\\'"],
      [3, 'SELECT 3'],
    ]);
  });

  it('nests block comments', () => {
    expect(split('/* outer /* inner; */ still a comment; */ SELECT 1;\nSELECT 2;', 'postgres')).toEqual([
      [1, 'SELECT 1'],
      [2, 'SELECT 2'],
    ]);
  });

  it('keeps a semicolon inside parentheses (a rule with several actions), as psql does', () => {
    expect(split('CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (2));', 'postgres')).toEqual([
      [1, 'CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (2))'],
    ]);
  });

  it('skips psql meta-commands with a note', () => {
    const result = splitStatements('\\set ON_ERROR_STOP on\nSELECT 1;\n  \\connect other\nSELECT 2;', 'postgres');
    expect(result.statements.map((s) => [s.line, s.text])).toEqual([
      [2, 'SELECT 1'],
      [4, 'SELECT 2'],
    ]);
    expect(result.notes).toEqual([
      { line: 1, message: 'psql meta-command skipped (it is not SQL): \\set ON_ERROR_STOP on' },
      { line: 3, message: 'psql meta-command skipped (it is not SQL): \\connect other' },
    ]);
  });

  it('keeps a BEGIN ATOMIC function body whole', () => {
    const sql = 'CREATE FUNCTION two() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nSELECT 3;';
    expect(split(sql, 'postgres')).toEqual([
      [1, 'CREATE FUNCTION two() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND'],
      [6, 'SELECT 3'],
    ]);
  });

  it('reads BEGIN and COMMIT as statements of their own', () => {
    expect(split('BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;', 'postgres')).toEqual([
      [1, 'BEGIN'],
      [2, 'CREATE TABLE t (id int)'],
      [3, 'COMMIT'],
    ]);
  });

  it('says where a dollar quote is left open', () => {
    expect(() => splitStatements('SELECT 1;\n\nSELECT $$ never closed;', 'postgres')).toThrowError(/unterminated dollar-quoted string/);
  });
});

describe('MySQL', () => {
  it('keeps a procedure with nested BEGIN … END and IF … END IF whole, without DELIMITER', () => {
    const procedure = [
      'CREATE PROCEDURE close_orders(IN days INT)',
      'BEGIN',
      '  DECLARE done INT DEFAULT 0;',
      '  IF days > 0 THEN',
      '    BEGIN',
      "      UPDATE orders SET status = 'closed' WHERE created_at < NOW() - INTERVAL days DAY;",
      '    END;',
      '  ELSEIF days = 0 THEN',
      '    SET done = IF(done, 1, 0);',
      '  ELSE',
      '    SET done = CASE WHEN done THEN 1 ELSE 0 END;',
      '  END IF;',
      '  lbl: LOOP',
      '    LEAVE lbl;',
      '  END LOOP lbl;',
      '  WHILE done < 3 DO SET done = done + 1; END WHILE;',
      '  REPEAT SET done = done - 1; UNTIL done = 0 END REPEAT;',
      'END',
    ].join('\n');
    expect(split(`${procedure};\nCALL close_orders(3);`, 'mysql')).toEqual([
      [1, procedure],
      [19, 'CALL close_orders(3)'],
    ]);
  });

  it('keeps a trigger whose body is one IF statement whole', () => {
    const trigger = 'CREATE TRIGGER orders_total BEFORE INSERT ON orders FOR EACH ROW\nIF NEW.total < 0 THEN\n  SET NEW.total = 0;\nEND IF';
    expect(split(`${trigger};\nSELECT 1;`, 'mysql')).toEqual([
      [1, trigger],
      [5, 'SELECT 1'],
    ]);
  });

  it('keeps a DEFINER trigger and an event with BEGIN … END whole', () => {
    const trigger = 'CREATE DEFINER=`root`@`localhost` TRIGGER a_i AFTER INSERT ON a FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); END';
    const event = 'CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM log; DELETE FROM a; END';
    expect(split(`${trigger};\n${event};\nSELECT 1;`, 'mysql')).toEqual([
      [1, trigger],
      [2, event],
      [3, 'SELECT 1'],
    ]);
  });

  it('reads a function returning IF(…) as one statement (IF there is a function, not a block)', () => {
    expect(split('CREATE FUNCTION sign_of(x INT) RETURNS INT DETERMINISTIC RETURN IF(x < 0, -1, 1);\nSELECT 2;', 'mysql')).toEqual([
      [1, 'CREATE FUNCTION sign_of(x INT) RETURNS INT DETERMINISTIC RETURN IF(x < 0, -1, 1)'],
      [2, 'SELECT 2'],
    ]);
  });

  it('follows DELIMITER // blocks and does not send the DELIMITER lines', () => {
    const sql = [
      'DELIMITER //',
      'CREATE PROCEDURE p()',
      'BEGIN',
      '  SELECT 1;',
      'END //',
      'DELIMITER ;',
      'SELECT 2;',
      'delimiter $$',
      'CREATE FUNCTION f() RETURNS INT RETURN 1$$',
      'DELIMITER ;',
    ].join('\n');
    expect(split(sql, 'mysql')).toEqual([
      [2, 'CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND'],
      [7, 'SELECT 2'],
      [9, 'CREATE FUNCTION f() RETURNS INT RETURN 1'],
    ]);
  });

  it('reads mysqldump trigger blocks (DELIMITER ;; and /*! … */ comments that are SQL)', () => {
    const sql = [
      '/*!40101 SET NAMES utf8mb4 */;',
      'DELIMITER ;;',
      '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN',
      '  SET NEW.x = 1;',
      'END */;;',
      'DELIMITER ;',
    ].join('\n');
    expect(split(sql, 'mysql')).toEqual([
      [1, '/*!40101 SET NAMES utf8mb4 */'],
      [3, '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n  SET NEW.x = 1;\nEND */'],
    ]);
  });

  it('reads # comments, backslash escapes in strings and backticks', () => {
    expect(split("# it's a comment; yes\nSELECT 'a\\';b', \"c\\\";d\", `e;f`;\nSELECT 2;", 'mysql')).toEqual([
      [2, "SELECT 'a\\';b', \"c\\\";d\", `e;f`"],
      [3, 'SELECT 2'],
    ]);
  });

  it('reads -- as a comment only when a space follows (1--1 is arithmetic)', () => {
    expect(split('SELECT 1--1;\nSELECT 2; -- done', 'mysql')).toEqual([
      [1, 'SELECT 1--1'],
      [2, 'SELECT 2'],
    ]);
  });

  it('reads MariaDB BEGIN NOT ATOMIC blocks whole, and a bare BEGIN as a statement', () => {
    expect(split('BEGIN NOT ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nBEGIN;\nCOMMIT;', 'mysql')).toEqual([
      [1, 'BEGIN NOT ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND'],
      [5, 'BEGIN'],
      [6, 'COMMIT'],
    ]);
  });
});

describe('SQLite', () => {
  it('keeps a trigger body whole, CASE … END inside it included', () => {
    const trigger = [
      'CREATE TRIGGER orders_audit AFTER UPDATE ON orders',
      'BEGIN',
      "  INSERT INTO audit (note) VALUES (CASE WHEN new.total > old.total THEN 'up;' ELSE 'down' END);",
      '  UPDATE users SET updated = new.end WHERE id = new.user_id;',
      'END',
    ].join('\n');
    expect(split(`${trigger};\nSELECT 1;`, 'sqlite')).toEqual([
      [1, trigger],
      [6, 'SELECT 1'],
    ]);
  });

  it('keeps TEMP triggers with IF NOT EXISTS whole', () => {
    expect(split('CREATE TEMP TRIGGER IF NOT EXISTS t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;\nSELECT 3;', 'sqlite')).toEqual([
      [1, 'CREATE TEMP TRIGGER IF NOT EXISTS t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END'],
      [2, 'SELECT 3'],
    ]);
  });

  it('reads [bracketed] and `backticked` identifiers, and accepts a block comment left open at the end', () => {
    expect(split('SELECT [a;b], `c;d` FROM t;\nSELECT 2; /* open', 'sqlite')).toEqual([
      [1, 'SELECT [a;b], `c;d` FROM t'],
      [2, 'SELECT 2'],
    ]);
  });
});

describe('one statement whatever it holds (goose StatementBegin … StatementEnd)', () => {
  it('keeps the text from the first token to the last, without a final terminator', () => {
    expect(wholeStatement('\n-- lead\nCREATE PROCEDURE p() BEGIN SELECT 1; END;\n', 'mysql', { firstLine: 5 })).toEqual({
      line: 7,
      text: 'CREATE PROCEDURE p() BEGIN SELECT 1; END',
    });
  });

  it('is null for a block of comments only', () => {
    expect(wholeStatement('-- nothing\n', 'postgres')).toBeNull();
  });
});
