-- Over-service records of a window (SPEC §3, §5), filtered for pages (audit explorer, customer page).
-- Parameters: $customer, $city, $district, $manager (the record's own manager), $tier (on the service day),
-- $service (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
select record_id, customer_id, city_code, district_code, coalesce(manager_id, '') as manager_id, tier,
       service_code, service_time, channel, note, source_line as standards_line, is_override
from overservice_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($tier is null or tier = $tier)
    and ($service is null or service_code = $service)
order by service_time, record_id
