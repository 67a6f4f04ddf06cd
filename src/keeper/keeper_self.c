/*
 * keeper_self.c - which node of the formation read from the store this
 * keeper is: the one entry the role, the restart requests, the loop and
 * the published status all start from.
 */
#include "keeper/keeper.h"

const StoreNode *keeper_me(const Keeper *k)
{
	return k->formation ? store_formation_node(k->formation,
						    k->st.node_id)
			    : NULL;
}
