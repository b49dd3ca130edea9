-- Shape org_units rows (SPEC §2, §4): trimmed text; a row needs its codes and names.
-- Reads `stg` (one row per input line of a chunk, fields trimmed, '' when empty). No parameters.
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.district_code, '') as district_code,
    nullif(s.city_code, '') as city_code,
    nullif(s.city_name, '') as city_name,
    nullif(s.district_name, '') as district_name,
    case
        when s.district_code = '' then 'missing district_code'
        when s.city_code = '' then 'missing city_code'
    end as reason
from stg as s
