-- Quarantined input lines (SPEC §4): file, line, raw text, reason. Parameters: $import_id (null = all),
-- $q (text searched in file, raw text and reason; '' = everything), $limit.
select import_id, file, line, reason, raw
from quarantine
where ($import_id is null or import_id = $import_id)
    and ($q = '' or raw ilike '%' || $q || '%' or reason ilike '%' || $q || '%' or file ilike '%' || $q || '%')
order by import_id desc, file, line
limit $limit
