-- Complaints of a window with the status of each step (SPEC §3, §5), filtered for pages.
-- Parameters: $customer, $city (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
select complaint_id, customer_id, city_code, district_code, coalesce(manager_id, '') as manager_id, tier, level,
       received_at, first_contact_at, first_contact_status, resolved_at, resolve_status, return_visit_at,
       return_visit_status, satisfaction, dissatisfied_reason
from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
order by received_at
