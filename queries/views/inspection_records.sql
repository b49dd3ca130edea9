-- The inspections behind the cadence (SPEC §12 drill-down): each imported inspection of the selection, newest
-- first, with the line it came from. Parameters: $date_from, $date_to (dates of the inspections), $as_of (none
-- after it), $scope_city, $scope_district (a district reader sees its own centre's inspections) and the filters
-- $city, $district, $service (the inspection level; null = any), $limit.
select
    i.inspection_id, i.level, i.city_code, o.city_name, i.district_code, d.district_name, i.inspected_at,
    i.import_id, i.line
from inspections as i
left join (select distinct city_code, city_name from org_units) as o on o.city_code = i.city_code
left join org_units as d on d.district_code = i.district_code
where i.inspected_at between $date_from::date and $date_to::date
    and i.inspected_at <= $as_of::date
    and ($scope_city is null or i.city_code = $scope_city)
    and ($scope_district is null or i.district_code = $scope_district)
    and ($city is null or i.city_code = $city)
    and ($district is null or i.district_code = $district)
    and ($service is null or i.level = $service)
order by i.inspected_at desc, i.inspection_id
limit $limit
