-- Greeting obligations of a window with their evidence (SPEC §3, §5), filtered for pages.
-- Parameters: $customer, $city, $manager, $status (null = any), $date_from, $date_to, $as_of, $scope_city,
-- $scope_district.
select customer_id, member_id, member_name, member_role, due_day, window_start, tier,
       coalesce(manager_id, '') as manager_id, records, first_record, status
from greeting_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($status is null or status = $status)
order by due_day, member_id
