-- return_visit_items(date_from, date_to, as_of, scope_city, scope_district): each work order that must get a
-- return visit (SPEC §12, 第五十至五十五条), judged as of a date. A table macro stored in the database; reads
-- work_order_facts, followup_facts and return_visits (queries/build/).
--   * counted: order_type install, move or repair (`remove` needs none), completion date inside the window and
--     on or before as_of;
--   * status: 'on_time' when the first reaching visit (result not unreachable) is dated on or before as_of and at
--     most 3 calendar days after the completion date (same_day when on that date); 'open' while there is no
--     reaching visit dated on or before as_of and completion date + 3 is after as_of; otherwise 'missed';
--   * satisfaction: the result of the latest reaching visit dated on or before as_of (null when none);
--   * follow-ups: every auto_voice/sms visit of the order dated on or before as_of whose result is unreachable
--     or dissatisfied needs a manual visit of the same order, later in time and dated at most 3 days after it:
--     done (that visit dated on or before as_of), open (not done and its date + 3 is after as_of) or missed.
-- Visits dated after as_of are ignored everywhere. Place, manager and tier: work_order_facts.
-- What any as-of date after an order's visits reads the same way is stored (work_order_facts); only the orders
-- whose visits reach past as_of ("edge": their latest reaching visit, or a follow-up window, is after it — a few
-- days' orders before as_of, whatever as_of is) are judged from the visits themselves.
create or replace macro return_visit_items(date_from, date_to, as_of, scope_city, scope_district) as table
with counted as (
    select *
    from work_order_facts
    where order_type <> 'remove'
        and completed_date between date_from::date and date_to::date
        and completed_date <= as_of::date
        and (scope_city is null or city_code = scope_city)
        and (scope_district is null or district_code = scope_district)
),

-- the few orders whose latest reaching visit or a follow-up window reaches past as_of (its own scan of the
-- facts: a second reader of `counted` would make DuckDB materialise all of it)
edge as (
    select order_id
    from work_order_facts
    where (last_reach_at::date > as_of::date or followups_settled > as_of::date)
        and order_type <> 'remove'
        and completed_date between date_from::date and date_to::date
        and completed_date <= as_of::date
        and (scope_city is null or city_code = scope_city)
        and (scope_district is null or district_code = scope_district)
),

latest as (
    select v.order_id, arg_max(v.result, (v.return_visit_at, v.visit_id)) as satisfaction,
        arg_max(v.dissatisfied_reason, (v.return_visit_at, v.visit_id)) as dissatisfied_reason
    from return_visits as v
    where v.result <> 'unreachable' and v.return_visit_at::date <= as_of::date
        and v.order_id in (select order_id from edge)
    group by v.order_id
),

followups as (
    select
        f.order_id,
        count(*) as followups,
        count(*) filter (
            where f.manual_at::date <= f.return_visit_at::date + 3 and f.manual_at::date <= as_of::date
        ) as followups_done,
        count(*) filter (
            where not coalesce(f.manual_at::date <= f.return_visit_at::date + 3 and f.manual_at::date <= as_of::date,
                               false)
                and f.return_visit_at::date + 3 > as_of::date
        ) as followups_open
    from followup_facts as f
    where f.return_visit_at::date <= as_of::date
        and f.order_id in (select order_id from edge)
    group by f.order_id
)

select
    o.order_id, o.customer_id, o.city_code, o.district_code, o.manager_id, o.tier, o.order_type as service_code,
    o.completed_at, o.completed_date,
    case when o.first_reach_at::date <= as_of::date then o.first_reach_at end as first_reach_at,
    case
        when o.first_reach_at::date <= as_of::date and o.first_reach_at::date <= o.completed_date + 3 then 'on_time'
        when coalesce(o.first_reach_at::date <= as_of::date, false) then 'missed'
        when o.completed_date + 3 > as_of::date then 'open'
        else 'missed'
    end as status,
    coalesce(o.first_reach_at::date = o.completed_date and o.first_reach_at::date <= as_of::date, false) as same_day,
    -- stored unless the order's visits reach past as_of (then from the visits, above)
    case when o.last_reach_at::date <= as_of::date then o.last_result else l.satisfaction end as satisfaction,
    case when o.last_reach_at::date <= as_of::date then o.last_reason else l.dissatisfied_reason end
        as dissatisfied_reason,
    case when o.followups_settled <= as_of::date then o.followups else coalesce(f.followups, 0) end as followups,
    case when o.followups_settled <= as_of::date then o.followups_done_in_time else coalesce(f.followups_done, 0) end
        as followups_done,
    case when o.followups_settled <= as_of::date then 0 else coalesce(f.followups_open, 0) end as followups_open
from counted as o
left join latest as l on l.order_id = o.order_id
left join followups as f on f.order_id = o.order_id
