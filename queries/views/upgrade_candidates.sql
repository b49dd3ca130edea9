-- Tier check (SPEC §3 升级标准): customers whose attributes qualify them for a higher tier than they hold.
-- A customer qualifies for a tier when ANY criterion holds: member_count >= the tier's upgrade_min_members,
-- or its industry is one of the tier's upgrade_industries. Tiers are ordered by `rank` (1 = highest), so the
-- scheme is data. The highest qualifying tier is reported. Parameters: $as_of, $scope_city, $scope_district, $limit
-- (the first rows only, null = all; `candidates` on every row is how many there are in all: the overview shows
-- 200 of 53,000 at 800,000 customers, the brief lists them all).
-- The tier held on the as-of date is the last tier change on or before it (few customers have any: a join on
-- the customer, not an as-of join over every customer); only tiers above the held one are tried (0.6 s -> 0.2 s
-- at 800,000 customers).
with changed as (
    select customer_id, arg_max(tier, effective_from) as tier
    from tier_history
    where effective_from <= $as_of::date
    group by customer_id
),

held as (
    select c.*, coalesce(th.tier, c.tier) as held_tier
    from customers as c
    left join changed as th on th.customer_id = c.customer_id
    where ($scope_city is null or c.city_code = $scope_city)
        and ($scope_district is null or c.district_code = $scope_district)
),

qualifies as (
    select h.customer_id, t.tier, t.rank,
        h.member_count >= t.upgrade_min_members as by_members,
        list_contains(t.upgrade_industries, h.industry) as by_industry
    from held as h
    inner join tiers as cur on cur.tier = h.held_tier
    inner join tiers as t
        on t.rank < cur.rank
        and (h.member_count >= t.upgrade_min_members or list_contains(t.upgrade_industries, h.industry))
    qualify row_number() over (partition by h.customer_id order by t.rank) = 1
)

select
    h.customer_id, h.customer_name, h.city_code, h.district_code, h.manager_id, h.held_tier,
    q.tier as qualifies_for, h.member_count, h.industry, q.by_members, q.by_industry,
    count(*) over () as candidates
from held as h
inner join qualifies as q on q.customer_id = h.customer_id
order by q.rank, h.city_code, h.district_code, h.customer_id
limit $limit
