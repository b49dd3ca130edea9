-- Complaints of a window with the status of each step (SPEC §3, §5) and their quality (SPEC §12: category,
-- escalated, repeat — and the earlier complaints it repeats —, first-time resolution), filtered for pages (audit
-- explorer, customer page). Parameters: $customer, $city, $district, $manager, $tier, $status, $concern (null =
-- any), $date_from, $date_to, $as_of, $scope_city, $scope_district. $tier is the tier on the day received.
-- A complaint's overall status, for the status filter: 'open' while any step is open; else 'missed' when any
-- step was late; else 'met' (every step on time). $concern: 'repeat', 'escalated' or 'not_first_time' (resolved,
-- and followed by another of its kind within 30 days). first_time: 'first_time', 'open' (30 days not over yet),
-- 'followed', or null while unresolved.
with judged as (
    select
        *,
        case
            when 'open' in (first_contact_status, resolve_status, return_visit_status) then 'open'
            when 'late' in (first_contact_status, resolve_status, return_visit_status) then 'missed'
            else 'met'
        end as status
    from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
),

quality as (
    select
        complaint_id, customer_id, received_at, category_key, escalated, is_repeat,
        case
            when first_time then 'first_time' when first_time_open then 'open' when resolved then 'followed'
        end as first_time
    from complaint_quality_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
),

-- the complaints a repeat repeats: the same customer and category, received 1 to 30 days before it
earlier as (
    select q.complaint_id, string_agg(k.complaint_id, ', ' order by k.received_at, k.complaint_id) as repeats_of
    from quality as q
    inner join complaint_facts as k
        on k.customer_id = q.customer_id and k.category_key = q.category_key
        and k.received_at::date between q.received_at::date - 30 and q.received_at::date - 1
    where q.is_repeat
    group by q.complaint_id
)

select j.complaint_id, j.customer_id, j.city_code, j.district_code, coalesce(j.manager_id, '') as manager_id, j.tier,
       j.level, j.received_at, j.first_contact_at, j.first_contact_status, j.resolved_at, j.resolve_status,
       j.return_visit_at, j.return_visit_status, j.satisfaction, j.dissatisfied_reason, j.status,
       q.category_key as category, q.escalated, q.is_repeat as repeat, e.repeats_of, q.first_time
from judged as j
inner join quality as q on q.complaint_id = j.complaint_id
left join earlier as e on e.complaint_id = j.complaint_id
where ($customer is null or j.customer_id = $customer)
    and ($city is null or j.city_code = $city)
    and ($district is null or j.district_code = $district)
    and ($manager is null or coalesce(j.manager_id, '') = $manager)
    and ($tier is null or j.tier = $tier)
    and ($status is null or j.status = $status)
    and (
        $concern is null
        or ($concern = 'repeat' and q.is_repeat)
        or ($concern = 'escalated' and q.escalated)
        or ($concern = 'not_first_time' and q.first_time = 'followed')
    )
order by j.received_at, j.complaint_id
