-- Every loaded standards version with its load time and source (SPEC §3). No parameters.
select version, loaded_at, source, sha256, "rows", username
from standards_versions
order by version desc
