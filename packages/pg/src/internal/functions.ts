// Built-in functions the guard lets through without a grant: side-effect-free functions of
// `pg_catalog` (aggregates, window functions, string, math, date/time, JSON, arrays), including
// the ones the grammar itself calls for SQL syntax (EXTRACT, TRIM, SUBSTRING, AT TIME ZONE…).
// Anything else is a function call that a grant must name.
//
// Deliberately absent: anything that reads files or settings (pg_read_file, current_setting),
// changes state (nextval, setval, set_config, setseed, txid_current), runs SQL held in a string
// (query_to_xml, table_to_xml, cursor_to_xml), sleeps, locks, or signals other backends.

const AGGREGATES = `
count sum avg min max array_agg string_agg json_agg jsonb_agg json_object_agg jsonb_object_agg
bool_and bool_or every bit_and bit_or bit_xor stddev stddev_pop stddev_samp variance var_pop
var_samp corr covar_pop covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2
regr_slope regr_sxx regr_sxy regr_syy percentile_cont percentile_disc mode any_value
range_agg range_intersect_agg xmlagg
`;

const WINDOW = `
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
nth_value
`;

const STRING = `
lower upper initcap length char_length character_length octet_length bit_length substr
substring btrim ltrim rtrim trim concat concat_ws replace split_part position strpos left
right lpad rpad repeat reverse translate ascii chr format md5 sha224 sha256 sha384 sha512
encode decode quote_ident quote_literal quote_nullable regexp_replace regexp_match
regexp_matches regexp_split_to_array regexp_split_to_table regexp_count regexp_instr
regexp_like regexp_substr starts_with string_to_array array_to_string to_hex overlay
like_escape similar_to_escape normalize is_normalized unistr to_ascii convert_from
convert_to casefold
`;

const MATH = `
abs ceil ceiling floor round trunc mod power pow sqrt cbrt exp ln log log10 sign div
degrees radians pi sin cos tan asin acos atan atan2 sinh cosh tanh gcd lcm factorial
width_bucket random random_normal scale min_scale trim_scale numeric float8 int4 int8
`;

const DATETIME = `
now current_timestamp clock_timestamp statement_timestamp transaction_timestamp timeofday
date_trunc date_part date_bin extract age make_date make_time make_timestamp
make_timestamptz make_interval justify_days justify_hours justify_interval to_timestamp
to_date to_char to_number isfinite timezone overlaps date_add date_subtract
`;

const JSON_FUNCTIONS = `
to_json to_jsonb json_build_object jsonb_build_object json_build_array jsonb_build_array
json_object jsonb_object json_array_length jsonb_array_length json_each jsonb_each
json_each_text jsonb_each_text json_extract_path jsonb_extract_path json_extract_path_text
jsonb_extract_path_text json_object_keys jsonb_object_keys json_array_elements
jsonb_array_elements json_array_elements_text jsonb_array_elements_text json_typeof
jsonb_typeof json_strip_nulls jsonb_strip_nulls jsonb_set jsonb_set_lax jsonb_insert
jsonb_pretty jsonb_path_exists jsonb_path_match jsonb_path_query jsonb_path_query_array
jsonb_path_query_first json_populate_record jsonb_populate_record json_to_record
jsonb_to_record json_to_recordset jsonb_to_recordset row_to_json array_to_json
`;

const ARRAYS_AND_MISC = `
array_length array_lower array_upper array_ndims array_dims array_append array_prepend
array_cat array_position array_positions array_remove array_replace array_fill cardinality
unnest generate_series generate_subscripts trim_array array_reverse array_sort
gen_random_uuid uuidv4 uuidv7 num_nulls num_nonnulls coalesce nullif greatest least
pg_collation_for system_user to_tsvector to_tsquery plainto_tsquery phraseto_tsquery
websearch_to_tsquery ts_rank ts_rank_cd ts_headline setweight xmlcomment xmlconcat
xmlexists xpath xpath_exists
`;

function words(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.join(" ").split(/\s+/).filter(Boolean));
}

/** Side-effect-free `pg_catalog` functions allowed without a grant. */
export const ALLOWED_FUNCTIONS = words(
  AGGREGATES,
  WINDOW,
  STRING,
  MATH,
  DATETIME,
  JSON_FUNCTIONS,
  ARRAYS_AND_MISC,
);

/**
 * Allow-listed functions that older servers lack, with the `server_version_num` that added them
 * (checked against the `pg_catalog` of PostgreSQL 15 and 18). On an older server the unqualified
 * name finds no built-in and resolves through the search path, to whatever function has it.
 */
const FUNCTIONS_SINCE: ReadonlyMap<string, number> = new Map([
  ["any_value", 160000],
  ["date_add", 160000],
  ["date_subtract", 160000],
  ["random_normal", 160000],
  ["system_user", 160000],
  ["array_reverse", 180000],
  ["array_sort", 180000],
  ["casefold", 180000],
  ["uuidv4", 180000],
  ["uuidv7", 180000],
]);

/** Overloads of allow-listed functions added later, by name and number of arguments. */
const OVERLOADS_SINCE: ReadonlyMap<string, number> = new Map([
  ["generate_series/4", 160000], // with a time zone
  ["random/2", 170000], // random(min, max)
  ["timezone/1", 170000], // AT LOCAL
  ["json_strip_nulls/2", 180000], // strip_in_arrays
  ["jsonb_strip_nulls/2", 180000],
]);

/**
 * The `server_version_num` an allow-listed built-in call needs, or 0 when every supported
 * server has it.
 */
export function functionServerVersion(name: string, argumentCount: number): number {
  const byName = FUNCTIONS_SINCE.get(name) ?? 0;
  return Math.max(byName, OVERLOADS_SINCE.get(`${name}/${argumentCount}`) ?? 0);
}

/**
 * Symbols of the operators in `pg_catalog` (the same in PostgreSQL 15 and 18). Under the pinned
 * search_path an unqualified symbol finds the `pg_catalog` operator first for built-in types; any
 * other operator name is a user-defined operator, whose function the guard cannot see.
 */
export const BUILTIN_OPERATORS = words(`
!! !~ !~* !~~ !~~* # ## #- #> #>> % & && &< &<| &> * *< *<= *<> *= *> *>= + - -> ->> -|- / <
<-> << <<= <<| <= <> <@ <^ = > >= >> >>= >^ ? ?# ?& ?- ?-| ?| ?|| @ @-@ @> @? @@ @@@ ^ ^@ |
|&> |/ |>> || ||/ ~ ~* ~<=~ ~<~ ~= ~>=~ ~>~ ~~ ~~*
`);

/**
 * `pg_catalog` functions whose grant must carry `admin` rather than `write`: settings, server
 * files and logs, backend signals, backups and WAL, replication slots and origins, statistics
 * resets, and large objects (which live outside any table's grant).
 */
const ADMIN_FUNCTIONS = words(`
set_config current_setting pg_reload_conf pg_show_all_file_settings pg_hba_file_rules
pg_ident_file_mappings pg_config pg_current_logfile pg_import_system_collations
pg_read_file pg_read_file_old pg_read_binary_file pg_stat_file pg_ls_dir pg_rotate_logfile
pg_rotate_logfile_old pg_terminate_backend pg_cancel_backend pg_log_backend_memory_contexts
pg_promote pg_switch_wal pg_create_restore_point pg_backup_start pg_backup_stop pg_start_backup
pg_stop_backup pg_wal_replay_pause pg_wal_replay_resume pg_log_standby_snapshot
pg_create_logical_replication_slot pg_create_physical_replication_slot pg_drop_replication_slot
pg_copy_logical_replication_slot pg_copy_physical_replication_slot pg_replication_slot_advance
pg_sync_replication_slots loread lowrite
`);

// Families of administration functions, including members added by later releases.
const ADMIN_PREFIXES = /^(?:lo_|pg_ls_|pg_logical_|pg_replication_|pg_stat_reset)/;

/** True when a `pg_catalog` function's grant must carry `admin` rather than `write`. */
export function isAdminFunction(name: string): boolean {
  return ADMIN_FUNCTIONS.has(name) || ADMIN_PREFIXES.test(name);
}
