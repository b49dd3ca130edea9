-- Where each group of an alert lies (SPEC §7, §9): the city and district of every district and manager, so an
-- alert can be shown to, and sent to, exactly the readers whose scope holds its group. No parameters.
select 'district' as level, district_code as code, city_code, district_code, district_name as name
from org_units
union all
select 'city', city_code, city_code, null, any_value(city_name)
from org_units
group by city_code
union all
select 'manager', manager_id, city_code, district_code, manager_name
from managers
