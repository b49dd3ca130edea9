-- The due list (SPEC §5 open obligations, §6): obligations of the periods running on the as-of date that are
-- still short of their standard: who must do what for which customer, and how many days remain.
-- Parameters: $date_from, $date_to (the as-of date's calendar year: every period running on a day lies in its
-- year), $as_of, $scope_city, $scope_district, $city, $district, $manager (null = any).
-- A period runs on the as-of date when period_start <= as_of < period_end (one ending on as_of is closed).
select
    i.city_code, o.city_name, i.district_code, o.district_name, coalesce(i.manager_id, '') as manager_id,
    m.manager_name, i.customer_id, c.customer_name, i.tier, i.service_code, i.n, i.completed,
    i.n - i.completed as missing, i.period_start, i.period_end, (i.period_end - $as_of::date) as days_left
from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as i
left join customers as c on c.customer_id = i.customer_id
left join org_units as o on o.district_code = i.district_code
left join managers as m on m.manager_id = i.manager_id
where i.period_start <= $as_of::date and i.period_end > $as_of::date
    and i.completed < i.n
    and ($city is null or i.city_code = $city)
    and ($district is null or i.district_code = $district)
    and ($manager is null or coalesce(i.manager_id, '') = $manager)
order by days_left, i.city_code, i.district_code, manager_id, i.customer_id, i.service_code
