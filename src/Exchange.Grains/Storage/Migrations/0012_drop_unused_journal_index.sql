-- No query reads the journal by time: recent trades are read by (celebrity, sequence), (buyer, sequence) and
-- (seller, sequence), and the audit scans it whole. The index on (celebrity, executed_at) only made every trade's
-- insert update one B-tree more, on the table that grows fastest. Dropping it is safe while silos of the previous
-- version still run: none of their queries used it either.
DROP INDEX IF EXISTS exchange.trade_journal_executed_at;
