-- The configured tier scheme in its order (rank 1 = highest), SPEC §3: no tier name is written in code.
select tier, rank, complaint_level from tiers order by rank
