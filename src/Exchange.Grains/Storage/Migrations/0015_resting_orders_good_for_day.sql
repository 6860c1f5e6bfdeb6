-- Orders placed for the trading day only (time in force "day"), which their book cancels when the day ends. A constant
-- default makes this instant however many orders rest, and silos of the previous version, which insert resting orders
-- without the column, keep placing good-till-cancel orders correctly while they run.
ALTER TABLE exchange.resting_orders ADD COLUMN IF NOT EXISTS good_for_day boolean NOT NULL DEFAULT false;
