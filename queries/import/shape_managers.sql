-- Shape managers rows (SPEC §2, §4): the role may be a code or its Chinese label.
-- Reads `stg` (the trimmed lines of a chunk). No parameters.
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.manager_id, '') as manager_id,
    nullif(s.manager_name, '') as manager_name,
    r.code as role,
    nullif(s.city_code, '') as city_code,
    nullif(s.district_code, '') as district_code,
    case
        when s.manager_id = '' then 'missing manager_id'
        when r.code is null then 'unknown role "' || s.role || '"'
    end as reason
from stg as s
left join vocab as r on r.domain = 'manager_role' and r.alias = lower(s.role)
