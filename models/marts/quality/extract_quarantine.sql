-- The rows of the delivery that the extract gate kept out of the warehouse: extract,
-- source line, record key, the rule that caught them and when. Not the rows' values:
-- those are in the restricted warehouse (restricted.extract_quarantine_rows).
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
        cast(quarantined.rule as varchar) as rule,
        cast(quarantined.column_name as varchar) as "column",
        cast(quarantined.record_key as varchar) as record_key,
        cast(quarantined.all_rules as varchar) as all_rules,
        deliveries.gated_at

    from quarantined
    left join deliveries
        on quarantined.extract = deliveries.extract

)

select * from final
