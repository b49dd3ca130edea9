-- The return visits of one work order, oldest first (SPEC §12 drill-down), with what each counted for as of the
-- as-of date: whether it reached the customer, whether it needed a manual follow-up and how that went.
-- Parameters: $order_id, $as_of, $scope_city, $scope_district (an order outside the reader's scope has no rows).
select
    v.visit_id, v.return_visit_at, v.method, v.result, v.dissatisfied_reason,
    v.return_visit_at::date > $as_of::date as after_as_of,
    v.result <> 'unreachable' as reaches,
    f.visit_id is not null as needs_followup,
    case
        when f.visit_id is null or v.return_visit_at::date > $as_of::date then null
        when f.manual_at::date <= f.return_visit_at::date + 3 and f.manual_at::date <= $as_of::date then 'done'
        when f.return_visit_at::date + 3 > $as_of::date then 'open'
        else 'missed'
    end as followup,
    v.import_id, v.line
from return_visits as v
inner join work_order_facts as o on o.order_id = v.order_id
left join followup_facts as f on f.visit_id = v.visit_id
where v.order_id = $order_id
    and ($scope_city is null or o.city_code = $scope_city)
    and ($scope_district is null or o.district_code = $scope_district)
order by v.return_visit_at, v.visit_id
