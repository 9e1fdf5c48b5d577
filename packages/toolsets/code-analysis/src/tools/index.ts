import { describeCodeAnalyzerRule } from './describe_code_analyzer_rule.js';
import { listCodeAnalyzerRules } from './list_code_analyzer_rules.js';
import { queryCodeAnalyzerResults } from './query_code_analyzer_results.js';
import { runCodeAnalyzer } from './run_code_analyzer.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [runCodeAnalyzer, queryCodeAnalyzerResults, listCodeAnalyzerRules, describeCodeAnalyzerRule];
