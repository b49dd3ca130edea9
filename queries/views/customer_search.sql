-- Customers whose id or name contains $q (case-insensitive), in the reader's scope; at most $limit.
-- Parameters: $q, $limit, $manager (null = any), $scope_city, $scope_district.
select c.customer_id, c.customer_name, c.tier, c.city_code, c.district_code, c.manager_id
from customers as c
where (c.customer_id ilike '%' || $q || '%' or c.customer_name ilike '%' || $q || '%')
    and ($manager is null or c.manager_id = $manager or c.chief_manager_id = $manager)
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
order by c.customer_id
limit $limit
