-- The service records behind one obligation (SPEC §6: every obligation links to its evidence).
-- Parameters: $customer, $service, $period_start, $period_end, $as_of, $scope_city, $scope_district.
-- All records of the customer and service dated inside the period are listed; `counted` says whether each
-- one counts (completed, and on or before the as-of date) so an auditor sees why a record did not count.
select
    l.record_id, l.service_time, l.status, l.manager_id, m.manager_name, l.channel, l.note, l.member_id,
    l.status = 'completed' and l.service_time < $as_of::date + 1 as counted,
    l.import_id, l.line
from service_logs as l
inner join customers as c on c.customer_id = l.customer_id
left join managers as m on m.manager_id = l.manager_id
where l.customer_id = $customer
    and l.service_code = $service
    and l.service_time >= $period_start::date
    and l.service_time < $period_end::date + 1
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
order by l.service_time, l.record_id
