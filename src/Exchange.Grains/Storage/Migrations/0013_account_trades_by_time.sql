-- A trade's sequence counts per celebrity, so the newest trades of an account cannot be found by sequence: a fan's
-- third trade on one celebrity outnumbers its first on another made later, and "newest first" left the later one out.
-- The account indexes are by execution time instead. A silo of the previous version still running reads by sequence
-- with a sort instead of the index until it is replaced: slower, no less correct than before.
DROP INDEX IF EXISTS exchange.trade_journal_buyer;
DROP INDEX IF EXISTS exchange.trade_journal_seller;
-- Newest first, ties by trade id, so a page can start after the last trade of the previous one (keyset paging).
CREATE INDEX trade_journal_buyer_time ON exchange.trade_journal (buyer_id, executed_at DESC, trade_id DESC);
CREATE INDEX trade_journal_seller_time ON exchange.trade_journal (seller_id, executed_at DESC, trade_id DESC);
