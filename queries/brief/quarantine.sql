-- The quarantined lines of the imports finished between $since and $until (SPEC §9), in file and line order.
-- Parameters: $since, $until.
select q.import_id, q.file, q.line, q.reason, q.raw
from quarantine as q
inner join imports as i on i.import_id = q.import_id
where i.finished_at >= $since::timestamp and i.finished_at < $until::timestamp
order by q.import_id, q.file, q.line
