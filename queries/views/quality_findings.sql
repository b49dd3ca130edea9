-- Data-quality findings on accepted rows (SPEC §3, §4): things that are kept but must be looked at.
-- Parameters: $scope_city, $scope_district.
select 'dissatisfied_without_reason' as finding, 'complaints' as file, k.complaint_id as record_id,
       k.customer_id, k.import_id, k.line
from complaints as k
inner join customers as c on c.customer_id = k.customer_id
where k.satisfaction = 'dissatisfied' and k.dissatisfied_reason is null
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
union all
select 'customer_without_account_manager', 'customers', c.customer_id, c.customer_id, null, null
from customers as c
where c.manager_id is null
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
union all
select 'customer_in_unknown_district', 'customers', c.customer_id, c.customer_id, null, null
from customers as c
where c.district_code not in (select district_code from org_units)
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
order by finding, record_id
