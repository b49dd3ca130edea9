-- What a place's customers complain about most (SPEC §12, 第六十二条; §9's high-frequency problems): the
-- complaints of a window per category, most first ('' = 未分类), with their repeats and escalations; and the
-- dissatisfied answers per reason ('' = no reason given). kind: 'category' or 'reason'. Parameters: $date_from,
-- $date_to, $as_of, $scope_city, $scope_district and the filters $city, $district, $manager (null = any).
with items as (
    select q.category_key, q.is_repeat, q.escalated, k.satisfaction, k.dissatisfied_reason
    from complaint_quality_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as q
    inner join complaint_facts as k on k.complaint_id = q.complaint_id
    where ($city is null or q.city_code = $city)
        and ($district is null or q.district_code = $district)
        and ($manager is null or coalesce(q.manager_id, '') = $manager)
)

select 'category' as kind, category_key as topic, count(*) as complaints,
    count(*) filter (where is_repeat) as repeat, count(*) filter (where escalated) as escalated
from items
group by all
union all
select 'reason', coalesce(dissatisfied_reason, ''), count(*), null, null
from items
where satisfaction = 'dissatisfied'
group by all
order by kind, complaints desc, topic
