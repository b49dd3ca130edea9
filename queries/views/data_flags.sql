-- Data completeness flags (SPEC §10 数据完整性) with the group's name: gaps, spikes and stale districts
-- (data_flags), for `python -m supervision watch` and the marks beside rates on every page.
-- Parameters: $as_of, $scope_city, $scope_district.
select
    f.level, f.code,
    case when f.level = 'district' then o.district_name else m.manager_name end as name,
    f.flag, f.week_start, f.records, f.median, f.latest
from data_flags($as_of, $scope_city, $scope_district) as f
left join org_units as o on f.level = 'district' and o.district_code = f.code
left join managers as m on f.level = 'manager' and m.manager_id = f.code
order by f.level, f.code, f.flag, f.week_start
