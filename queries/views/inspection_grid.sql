-- The inspection cadence as a calendar grid (SPEC §12 检查制度): every obligation of the window with its status
-- and how many inspections its period holds (inspection_items). Parameters: $date_from, $date_to, $as_of,
-- $scope_city, $scope_district and the filters $city, $district, $service (the inspection level; null = any).
select
    i.city_code, o.city_name, i.district_code, d.district_name, i.service_code as level,
    i.period_start, i.period_end, i.status, i.inspections, i.first_inspected_at
from inspection_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as i
left join (select distinct city_code, city_name from org_units) as o on o.city_code = i.city_code
left join org_units as d on d.district_code = i.district_code
where ($city is null or i.city_code = $city)
    and ($district is null or i.district_code = $district)  -- a district picked: its centre's obligations
    and ($service is null or i.service_code = $service)
order by i.service_code, i.city_code, i.district_code, i.period_start
