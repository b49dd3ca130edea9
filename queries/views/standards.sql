-- The rows of one standards version (SPEC §3), tiers in their configured order. Parameters: $version.
select s.tier, s.service_code, s.requirement, s.n, s.period_months, s.responsible_role, s.city_code,
       s.effective_from, s.line
from standards as s
left join tiers as t on t.tier = s.tier
where s.version = $version
order by t.rank, s.service_code, s.city_code nulls first, s.effective_from nulls first
