-- Every configuration version (SPEC §12 configuration after creation; supervision/config.py), newest first: when
-- it was loaded, from which files, their SHA-256, by whom, the standards version loaded with it or in force then,
-- and the parts' snapshots (part, sha256, content as CSV). Configuration is not customer data: no scope.
select v.version, v.loaded_at, v.source, v.sha256, v.username, v.standards_version,
       list({part: p.part, sha256: p.sha256, content: p.content} order by p.part) as parts
from config_versions as v
left join config_parts as p on p.version = v.version
group by all
order by v.version desc
