-- One row per force data.police.uk publishes (its slug): its name, the residents of its
-- area (the latest census year the population seed holds) and the peer group it is
-- compared with (ref_police_force_peers: declared once, editable), and whether the
-- warehouse holds any of its rows.
with

forces as (

    select * from {{ ref('ref_police_forces') }}

),

populations as (

    select * from {{ ref('int_police_uk_force_populations') }}

),

peers as (

    select * from {{ ref('ref_police_force_peers') }}

),

series_monthly as (

    select * from {{ ref('int_police_uk_force_series_monthly') }}

),

names as (

    select
        force_slug,
        max(force_name) as force_name
    from forces
    group by force_slug

),

residents as (

    select
        force,
        min(force_area) as force_area,
        min(population_year) as population_year,
        min(population_source) as population_source,
        sum(population) as residents
    from populations
    group by force

),

peer_groups as (

    select
        force_slug,
        min(peer_group) as peer_group,
        min(source) as peer_group_source,
        count(*) as peers_declared,
        {{ dbt.listagg('peer_force_slug', "', '", "order by peer_force_slug") }} as peer_forces
    from peers
    group by force_slug

),

present as (

    select distinct force
    from series_monthly
    where event_count > 0

),

final as (

    select
        cast(names.force_slug as varchar) as force,
        cast(names.force_name as varchar) as force_name,
        cast(residents.force_area as varchar) as force_area,
        cast(residents.residents as bigint) as residents,
        cast(residents.population_year as integer) as population_year,
        cast(residents.population_source as varchar) as population_source,
        cast(peer_groups.peer_group as varchar) as peer_group,
        cast(peer_groups.peer_group_source as varchar) as peer_group_source,
        cast(coalesce(peer_groups.peers_declared, 0) as integer) as peers_declared,
        cast(peer_groups.peer_forces as varchar) as peer_forces,
        cast(present.force is not null as boolean) as has_data
    from names
    left join residents
        on names.force_slug = residents.force
    left join peer_groups
        on names.force_slug = peer_groups.force_slug
    left join present
        on names.force_slug = present.force

)

select * from final
