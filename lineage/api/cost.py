"""A static cost limit for GraphQL operations, computed from the document before it runs.

Each field costs 1, and a field that returns a list multiplies what its selection costs by the
most items it can return: its ``first``, ``limit``, ``k`` or ``maxCycles`` argument when the
document gives a number (or its parent's, for a page: ``nodes(first: 50) { nodes }``), at
most the server's node bound as the server clamps it, else ``DEFAULT_LIST_SIZE`` (variables are
not known when validating, so a variable counts as the default too). Fragments
count where they are spread. Nine levels of ``neighbours`` cost 20^9 and are refused with the
code ``COST_LIMIT`` before a single resolver runs; a page of 50 nodes with their edges costs a
few thousand.

    cost(selection) = sum over fields of 1 + size(field) * cost(field's selection)
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from graphql.type import GraphQLInterfaceType, GraphQLOutputType

DEFAULT_LIST_SIZE = 20
SIZE_ARGUMENTS = ("first", "limit", "k", "maxCycles")
COST_LIMIT = "COST_LIMIT"


def cost_limit_rule(max_cost: int, max_list: int) -> type[ValidationRule]:
    """A validation rule refusing an operation that costs more than ``max_cost``; a size
    argument counts at most ``max_list``, the most items the server returns for any."""

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            counter = _Counter(self.context, max_cost, max_list)
            cost = counter.selection(node.selection_set, root)
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"the query costs more than the server's limit of {max_cost} "
                        "(fields times the list sizes they may return): ask for fewer "
                        "nested lists, or smaller pages (first, limit)",
                        node,
                        extensions={"code": COST_LIMIT, "limit": max_cost},
                    )
                )

    return CostLimit


class _Counter:
    def __init__(self, context: ValidationContext, ceiling: int, max_list: int) -> None:
        self.context = context
        self.ceiling = ceiling
        """Counting stops just above it: a refused document needs no exact cost."""
        self.max_list = max_list

    def selection(
        self, selection_set: SelectionSetNode | None, parent: Any, inherited: int | None = None
    ) -> int:
        """``inherited``: the size a parent asked its lists for (a page's ``first``)."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            total += self._one(selection, parent, inherited)
            if total > self.ceiling:
                return total
        return total

    def _one(self, selection: Any, parent: Any, inherited: int | None) -> int:
        if isinstance(selection, FieldNode):
            return self._field(selection, parent, inherited)
        if isinstance(selection, InlineFragmentNode):
            typed = selection.type_condition
            inner = self.context.schema.get_type(typed.name.value) if typed else parent
            return self.selection(selection.selection_set, inner or parent, inherited)
        if isinstance(selection, FragmentSpreadNode):
            fragment = self.context.get_fragment(selection.name.value)
            if fragment is None:
                return 0
            inner = self.context.schema.get_type(fragment.type_condition.name.value)
            return self.selection(fragment.selection_set, inner or parent, inherited)
        return 0

    def _field(self, node: FieldNode, parent: Any, inherited: int | None) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 1
        returned, is_list = _unwrapped(definition.type)
        explicit = _size(node, self.max_list)
        if is_list:
            size = explicit or inherited or DEFAULT_LIST_SIZE
            return 1 + size * self.selection(node.selection_set, returned)
        return 1 + self.selection(node.selection_set, returned, explicit)


def _unwrapped(output: GraphQLOutputType) -> tuple[Any, bool]:
    """The named type under the wrappers, and whether a list is among them."""
    is_list = False
    while isinstance(output, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(output, GraphQLList)
        output = output.of_type
    return output, is_list


def _size(node: FieldNode, most: int) -> int | None:
    """The size the document asks of a field, when it gives a number, clamped as the server
    clamps it."""
    for argument in node.arguments or ():
        if argument.name.value in SIZE_ARGUMENTS and isinstance(argument.value, IntValueNode):
            return max(1, min(int(argument.value.value), most))
    return None
