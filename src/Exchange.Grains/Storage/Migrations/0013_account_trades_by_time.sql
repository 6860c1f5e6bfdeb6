-- exchange:outside-transaction
-- A trade's sequence counts per celebrity, so the newest trades of an account cannot be found by sequence: a fan's
-- third trade on one celebrity outnumbers its first on another made later, and "newest first" left the later one out.
-- The account indexes are by execution time instead. A silo of the previous version still running reads by sequence
-- with a sort instead of the index until it is replaced: slower, no less correct than before.
-- Built concurrently, so books keep journalling trades while the indexes build (databases that applied this script
-- before it was, inside a transaction, have the same indexes). Safe to run again: each index is dropped before it is
-- built, which also clears one a stopped build left invalid.
DROP INDEX CONCURRENTLY IF EXISTS exchange.trade_journal_buyer;
DROP INDEX CONCURRENTLY IF EXISTS exchange.trade_journal_seller;
-- Newest first, ties by trade id, so a page can start after the last trade of the previous one (keyset paging).
DROP INDEX CONCURRENTLY IF EXISTS exchange.trade_journal_buyer_time;
CREATE INDEX CONCURRENTLY trade_journal_buyer_time ON exchange.trade_journal (buyer_id, executed_at DESC, trade_id DESC);
DROP INDEX CONCURRENTLY IF EXISTS exchange.trade_journal_seller_time;
CREATE INDEX CONCURRENTLY trade_journal_seller_time ON exchange.trade_journal (seller_id, executed_at DESC, trade_id DESC);
