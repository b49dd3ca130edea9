-- The dissatisfied reasons most often given in the return visits of the counted orders (SPEC §12), most frequent
-- first: every dissatisfied visit dated on or before the as-of date counts once ('' = no reason given).
-- Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district, the filters $city, $district,
-- $manager, $service (null = any), and $limit.
select coalesce(v.dissatisfied_reason, '') as reason, count(*) as visits, count(distinct v.order_id) as orders
from return_visit_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as o
inner join return_visits as v on v.order_id = o.order_id
where v.result = 'dissatisfied' and v.return_visit_at::date <= $as_of::date
    and ($city is null or o.city_code = $city)
    and ($district is null or o.district_code = $district)
    and ($manager is null or coalesce(o.manager_id, '') = $manager)
    and ($service is null or o.service_code = $service)
group by all
order by visits desc, reason
limit $limit
