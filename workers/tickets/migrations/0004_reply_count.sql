-- Bounded ticket answers: a ticket carries its reply count, so GET /tickets and GET /tickets/:id
-- can say how many replies there are without counting them (they embed only the latest few).
ALTER TABLE tickets ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;

-- Once, for the replies already stored (replies_by_ticket makes each count an index range).
UPDATE tickets SET reply_count = (SELECT count(*) FROM replies WHERE replies.ticket_id = tickets.id);

-- From now on the count moves in the same statement as the reply, so it cannot drift, whoever
-- writes: the API, the seed (INSERT OR IGNORE fires only for a row it inserts) or a test.
CREATE TRIGGER replies_count_on_insert AFTER INSERT ON replies
BEGIN
  UPDATE tickets SET reply_count = reply_count + 1 WHERE id = NEW.ticket_id;
END;

CREATE TRIGGER replies_count_on_delete AFTER DELETE ON replies
BEGIN
  UPDATE tickets SET reply_count = reply_count - 1 WHERE id = OLD.ticket_id;
END;
