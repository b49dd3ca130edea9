-- One customer with its place, managers and tier history (SPEC §6 customer detail).
-- Parameters: $customer, $scope_city, $scope_district (a customer outside the scope returns no row).
select
    c.customer_id, c.customer_name, c.tier, c.city_code, o.city_name, c.district_code, o.district_name,
    c.manager_id, m.manager_name, c.chief_manager_id, ch.manager_name as chief_manager_name, c.industry,
    c.member_count, c.onboard_date,
    (select list({'tier': th.tier, 'effective_from': th.effective_from} order by th.effective_from)
     from tier_history as th where th.customer_id = c.customer_id) as tier_history
from customers as c
left join org_units as o on o.district_code = c.district_code
left join managers as m on m.manager_id = c.manager_id
left join managers as ch on ch.manager_id = c.chief_manager_id
where c.customer_id = $customer
    and ($scope_city is null or c.city_code = $scope_city)
    and ($scope_district is null or c.district_code = $scope_district)
