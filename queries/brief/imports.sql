-- The imports a brief reports (SPEC §9 weekly brief: the quarantined rows of the week's imports): the imports
-- finished between $since and $until (timestamps), with their per-file accounting and the quarantined lines
-- per file and reason. Quarantined lines carry no city (they could not be read as rows), so only the province's
-- brief shows them. Parameters: $since, $until.
select i.import_id, i.finished_at, f.file, f."read", f.accepted, f.updated, f.quarantined, f.duplicates
from imports as i
inner join import_files as f on f.import_id = i.import_id
where i.finished_at >= $since::timestamp and i.finished_at < $until::timestamp
order by i.import_id, f.file
