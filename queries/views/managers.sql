-- Managers the reader may see (SPEC §2, §7): those placed in the scope, or responsible for a customer in it.
-- Parameters: $scope_city, $scope_district.
with in_scope as (
    select manager_id from managers
    where ($scope_city is null or city_code = $scope_city)
        and ($scope_district is null or district_code = $scope_district)
    union
    select unnest([manager_id, chief_manager_id]) from customers
    where ($scope_city is null or city_code = $scope_city)
        and ($scope_district is null or district_code = $scope_district)
)
select m.manager_id, m.manager_name, m.role, m.city_code, m.district_code
from managers as m
where m.manager_id in (select manager_id from in_scope)
order by m.manager_id
