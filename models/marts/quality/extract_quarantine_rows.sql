-- The quarantined rows as delivered (their values, victims' details included), for the
-- few who may read them: schema restricted, published in the restricted warehouse file
-- only (scripts/publish.py), never in the BI file.
{{ config(schema='restricted') }}

with

quarantined as (

    select * from {{ ref('stg_extract_gate__quarantined_rows') }}

),

deliveries as (

    select * from {{ ref('stg_extract_gate__deliveries') }}

),

final as (

    select
        cast(quarantined.extract as varchar) as extract,
        cast(quarantined.source_line as bigint) as line,
        cast(quarantined.record_key as varchar) as record_key,
        cast(quarantined.rule as varchar) as rule,
        cast(quarantined.column_name as varchar) as "column",
        cast(quarantined.delivered_row as varchar) as "row",
        deliveries.gated_at

    from quarantined
    left join deliveries
        on quarantined.extract = deliveries.extract

)

select * from final
