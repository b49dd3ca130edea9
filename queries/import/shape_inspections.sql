-- Shape inspections rows (SPEC §12 质量检查): level as code or label (省公司 province, 地市公司 city, 装维中心
-- centre); city_code a known city; district_code a known district of that city, required for a centre
-- inspection and empty for a province or city one; inspected_at required, a valid date, not after the import
-- date (plus a day of clock slack) nor before the earliest year.
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event, $earliest_event, $import_day.
with typed as (
    select s.*, parse_ts(s.inspected_at) as t_inspected, l.code as level_code
    from stg as s
    left join vocab as l on l.domain = 'inspection_level' and l.alias = lower(s.level)
)

select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.inspection_id, '') as inspection_id,
    s.level_code as level,
    nullif(s.city_code, '') as city_code,
    nullif(s.district_code, '') as district_code,
    s.t_inspected::date as inspected_at,
    case
        when s.inspection_id = '' then 'missing inspection_id'
        when s.level = '' then 'missing level'
        when s.level_code is null then 'unknown level "' || s.level || '"'
        when s.city_code = '' then 'missing city_code'
        when s.inspected_at = '' then 'missing inspected_at'
        when s.t_inspected is null then 'inspected_at "' || s.inspected_at || '" is not a valid date'
        when s.t_inspected >= $latest_event::timestamp
            then 'inspected_at "' || s.inspected_at || '" is after the import date (' || $import_day || ')'
        when s.t_inspected < $earliest_event::timestamp
            then 'inspected_at "' || s.inspected_at || '" is before ' || year($earliest_event::timestamp)
        when c.city_code is null then 'unknown city ' || s.city_code
        when s.level_code = 'centre' and s.district_code = ''
            then 'missing district_code (a centre inspection names its district)'
        when s.level_code <> 'centre' and s.district_code <> ''
            then 'district_code must be empty for a ' || s.level_code || ' inspection'
        when s.district_code <> '' and d.district_code is null then 'unknown district ' || s.district_code
        when s.district_code <> '' and d.city_code <> s.city_code
            then 'district ' || s.district_code || ' is in city ' || d.city_code || ', not ' || s.city_code
    end as reason
from typed as s
left join (select distinct city_code from org_units) as c on c.city_code = s.city_code
left join (select district_code, min(city_code) as city_code from org_units group by all) as d
    on d.district_code = s.district_code
