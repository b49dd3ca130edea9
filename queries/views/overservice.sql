-- Over-service records of a window (SPEC §3, §5), filtered for pages.
-- Parameters: $customer, $city (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
select record_id, customer_id, city_code, district_code, coalesce(manager_id, '') as manager_id, tier,
       service_code, service_time, channel, note, source_line as standards_line, is_override
from overservice_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
order by service_time, record_id
