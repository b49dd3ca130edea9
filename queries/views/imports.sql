-- Import history with the per-file accounting (SPEC §4). No parameters.
select i.import_id, i.started_at, i.finished_at, i.source, i.username, i.os_user, f.file, f.encoding, f."read",
       f.accepted, f.updated, f.quarantined, f.duplicates
from imports as i
inner join import_files as f on f.import_id = i.import_id
order by i.import_id desc, f.file
