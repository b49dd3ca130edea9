-- The high-frequency problems of a brief (SPEC §9): the complaints received in the window (complaint_items, the
-- complaints of `report complaints`) per category, most first ('' = unclassified), with how many were answered
-- dissatisfied; and the dissatisfied answers per reason ('' = no reason given).
-- Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district.
with items as (
    select i.complaint_id, i.satisfaction, i.dissatisfied_reason, coalesce(k.category, '') as category
    from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as i
    inner join complaints as k on k.complaint_id = i.complaint_id
)

select 'category' as kind, category as topic, count(*)::bigint as complaints,
    count(*) filter (where satisfaction = 'dissatisfied')::bigint as dissatisfied
from items
group by all
union all
select 'reason', coalesce(dissatisfied_reason, ''), count(*)::bigint, count(*)::bigint
from items
where satisfaction = 'dissatisfied'
group by all
order by kind, complaints desc, topic
