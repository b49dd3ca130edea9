-- Greeting obligations of a window with their evidence (SPEC §3, §5), filtered for pages (audit explorer,
-- customer page). Parameters: $customer, $city, $district, $manager, $tier, $status (null = any), $date_from,
-- $date_to, $as_of, $scope_city, $scope_district. $tier is the tier in effect on the birthday.
select customer_id, member_id, member_name, member_role, due_day, window_start, city_code, district_code, tier,
       coalesce(manager_id, '') as manager_id, records, first_record, status
from greeting_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($tier is null or tier = $tier)
    and ($status is null or status = $status)
order by due_day, member_id
